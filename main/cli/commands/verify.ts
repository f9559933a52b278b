import { verifyAudit } from '../../core/audit/verify-audit.ts';
import { appendAudit } from '../../core/audit/append-audit.ts';
import { reindexArchive } from '../../core/integrity/reindex.ts';
import { verificationPassed, verifyArchive } from '../../core/integrity/verify-archive.ts';
import { parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openCliEngine } from '../open-engine.ts';
import { Output } from '../output.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';

export const VERIFY_HELP = `Usage: recvault verify [--json]

Re-hashes every archived file and compares it with the index and its sidecar. Reports missing,
altered and unindexed files. Exit code 0 when everything matches, 1 otherwise.`;

export const AUDIT_HELP = `Usage: recvault audit verify [--json]

Checks the hash chain of the audit log: detects any edited, inserted or deleted entry.
Exit code 0 when the chain is intact, 1 otherwise.`;

export const REINDEX_HELP = `Usage: recvault reindex [--json]

Rebuilds the index of archived recordings from the archive's files and sidecars alone.
Exit code 0 when every sidecar was indexed, 1 when some could not be.`;

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {});
  if (values.help) {
    io.stdout.write(`${VERIFY_HELP}\n`);
    return EXIT_OK;
  }
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const { summary } = await verifyArchive(engine.db, engine.archiveDir(), engine.actor, (p) =>
      out.status(`Verifying ${p.filesDone}/${p.filesTotal} files…`),
    );
    out.endStatus();
    const passed = verificationPassed(summary);
    out.result(summary, () => [
      `${summary.checked} archived files checked: ${summary.ok} intact.`,
      ...summary.missing.map((p) => `missing    ${p}`),
      ...summary.altered.map((p) => `altered    ${p}`),
      ...summary.unindexed.map((p) => `unindexed  ${p}`),
      ...summary.sidecarMismatches.map((p) => `sidecar    ${p}`),
      passed ? 'The archive matches its index.' : 'The archive does NOT match its index.',
    ]);
    return passed ? EXIT_OK : EXIT_ITEMS_FAILED;
  } finally {
    await engine.close();
  }
}

export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    io.stdout.write(`${AUDIT_HELP}\n`);
    return EXIT_OK;
  }
  if (sub !== 'verify')
    throw new UsageError(`Unknown audit command "${sub}". Run "recvault audit --help".`);
  const { values } = parseCommand(rest, {});
  if (values.help) {
    io.stdout.write(`${AUDIT_HELP}\n`);
    return EXIT_OK;
  }
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const result = verifyAudit(engine.db);
    appendAudit(engine.db, {
      actor: engine.actor,
      action: 'audit.verified',
      subject: 'audit',
      details: { ok: result.ok, checked: result.checked, problems: result.problems.length },
    });
    out.result(result, () => [
      ...result.problems.map((p) => `${p.kind.padEnd(12)} ${p.seq ?? '-'}: ${p.message}`),
      result.ok
        ? `The audit log is intact: ${result.checked} entries, head ${result.lastHash}.`
        : `The audit log has been tampered with: ${result.problems.length} problem(s).`,
    ]);
    return result.ok ? EXIT_OK : EXIT_ITEMS_FAILED;
  } finally {
    await engine.close();
  }
}

export async function reindexCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {});
  if (values.help) {
    io.stdout.write(`${REINDEX_HELP}\n`);
    return EXIT_OK;
  }
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const report = await reindexArchive(engine.db, engine.archiveDir(), engine.actor);
    out.result(report, () => [
      `${report.indexed} of ${report.sidecars} sidecars indexed.`,
      ...report.accountsRecreated.map(
        (name) => `Recreated account "${name}" (disabled: edit its settings and secret).`,
      ),
      ...report.problems.map((p) => `problem  ${p.relativePath}: ${p.message}`),
    ]);
    return report.problems.length ? EXIT_ITEMS_FAILED : EXIT_OK;
  } finally {
    await engine.close();
  }
}
