import type { InProcessApi } from '../../core/api/in-process-client.ts';
import { archiveMatchesIndex } from '../../core/contract/verification.ts';
import { parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';

export const VERIFY_HELP = `Usage: recvault verify [--json]

Re-hashes every archived file and compares it with the index and its sidecar. Reports missing,
altered and unindexed files. Exit code 0 when everything matches, 1 otherwise.`;

export const AUDIT_HELP = `Usage: recvault audit verify [--json]

Checks the hash chain of the audit log: detects any edited, inserted or deleted entry; and
every signed checkpoint (recvault checkpoint): its signature with the installation's key
(RECVAULT_KEY_FILE) and that the log still has, entry for entry, the hashes it signed, so a
log rewritten with its hashes recomputed is caught at the first entry that changed.
With --vault: compares the checkpoint files with the team vault's locked copies instead and
names any the data directory changed or lost.
Exit code 0 when the chain is intact, 1 otherwise.`;

export const REINDEX_HELP = `Usage: recvault reindex [--json]

Rebuilds the index of archived recordings from the archive's files and sidecars alone.
Exit code 0 when every sidecar was indexed, 1 when some could not be.`;

/** One of these commands: the request it makes, how its answer reads, and whether it passed. */
interface ReportCommand<T> {
  help: string;
  request(api: InProcessApi, out: Output): Promise<T>;
  lines(value: T): string[];
  passed(value: T): boolean;
}

/** A command with no options of its own: one request, its report, exit code 0 or 1. */
async function runReport<T>(argv: string[], io: CliIo, command: ReportCommand<T>): Promise<number> {
  const { values } = parseCommand(argv, {});
  if (values.help) return printHelp(io, command.help);
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const value = await command.request(api, out);
    out.result(value, () => command.lines(value));
    return command.passed(value) ? EXIT_OK : EXIT_ITEMS_FAILED;
  });
}

export function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  return runReport(argv, io, {
    help: VERIFY_HELP,
    request: async (api, out) => {
      const stop = api.onVerifyProgress((p) =>
        out.status(`Verifying ${p.filesDone}/${p.filesTotal} files…`),
      );
      try {
        return await unwrap(api.verifyArchive({}));
      } finally {
        stop();
        out.endStatus();
      }
    },
    lines: (summary) => [
      `${summary.checked} archived files checked: ${summary.ok} intact.`,
      ...(summary.disposed
        ? [`${summary.disposed} recording(s) disposed of under retention (tombstones kept).`]
        : []),
      ...(summary.inVaultOnly
        ? [
            `${summary.inVaultOnly} recording(s) kept in the team vault only, with no copy here ("recvault vault verify" re-reads them; "recvault vault fetch" keeps a copy).`,
          ]
        : []),
      ...summary.missing.map((p) => `missing    ${p}`),
      ...summary.altered.map((p) => `altered    ${p}`),
      ...summary.unindexed.map((p) => `unindexed  ${p}`),
      ...summary.sidecarMismatches.map((p) => `sidecar    ${p}`),
      archiveMatchesIndex(summary)
        ? 'The archive matches its index.'
        : 'The archive does NOT match its index.',
    ],
    passed: archiveMatchesIndex,
  });
}

export function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    return Promise.resolve(printHelp(io, AUDIT_HELP));
  }
  if (sub !== 'verify')
    throw new UsageError(`Unknown audit command "${sub}". Run "recvault audit --help".`);
  if (rest.includes('--vault'))
    return auditVaultCommand(
      rest.filter((a) => a !== '--vault'),
      io,
    );
  return runReport(rest, io, {
    help: AUDIT_HELP,
    request: (api) => unwrap(api.verifyAudit({})),
    lines: (result) => [
      ...result.problems.map((p) => `${p.kind.padEnd(12)} ${p.seq ?? '-'}: ${p.message}`),
      result.ok
        ? `The audit log is intact: ${result.checked} entries, head ${result.lastHash}; ${result.checkpoints ?? 0} signed checkpoint(s) agree with it.`
        : `The audit log has been tampered with: ${result.problems.length} problem(s).`,
    ],
    passed: (result) => result.ok,
  });
}

/** audit verify --vault: the local checkpoints against the team vault's locked copies. */
function auditVaultCommand(argv: string[], io: CliIo): Promise<number> {
  return runReport(argv, io, {
    help: AUDIT_HELP,
    request: (api) => unwrap(api.vaultCheckpoints({})),
    lines: (result) => [
      ...result.differ.map((name) => `differs       ${name}: the local file is not the vault's`),
      ...result.onlyInVault.map((name) => `only-in-vault ${name}: the data directory lost it`),
      ...result.notInVault.map((name) => `not-in-vault  ${name}: not uploaded yet (vault sync)`),
      result.differ.length + result.onlyInVault.length === 0
        ? `The local checkpoints agree with the vault: ${result.matching} file(s) equal.`
        : 'The local checkpoints do NOT agree with the vault.',
    ],
    passed: (result) => result.differ.length + result.onlyInVault.length === 0,
  });
}

export function reindexCommand(argv: string[], io: CliIo): Promise<number> {
  return runReport(argv, io, {
    help: REINDEX_HELP,
    request: (api) => unwrap(api.reindex({})),
    lines: (report) => [
      `${report.indexed} of ${report.sidecars} sidecars indexed.`,
      ...(report.vaultOnly
        ? [`${report.vaultOnly} of them kept in the team vault only (no local file).`]
        : []),
      ...report.accountsRecreated.map(
        (name) => `Recreated account "${name}" (disabled: edit its settings and secret).`,
      ),
      ...report.problems.map((p) => `problem  ${p.relativePath}: ${p.message}`),
    ],
    passed: (report) => report.problems.length === 0,
  });
}
