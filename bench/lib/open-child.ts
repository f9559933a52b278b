// Opens an existing index in a fresh process, as the app or the CLI does at start, and prints
// how long the open took and how long the library's first page (with its total) took after it.
// Usage: node bench/lib/open-child.ts <index.sqlite>
export {};
const processStart = performance.now();
const { openDatabase } = await import('../../main/core/db/open-database.ts');
const { LibraryService } = await import('../../main/core/library/library-service.ts');
const { libraryQuerySchema } = await import('../../main/core/contract/requests.ts');
// Every recording, newest first: the library's query with nothing set (the contract's defaults).
const query = libraryQuerySchema.parse({});
const loaded = performance.now();
const db = openDatabase(process.argv[2]!);
const opened = performance.now();
const page = new LibraryService(db, 'cli').search(query, null, 100, true);
const firstPage = performance.now();
db.close();
process.stdout.write(
  `${JSON.stringify({ moduleLoadMs: loaded - processStart, openMs: opened - loaded, firstPageMs: firstPage - opened, untilFirstPageMs: firstPage, rows: page.rows.length, total: page.total })}\n`,
);
