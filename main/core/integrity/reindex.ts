import { appendAudit } from '../audit/append-audit.ts';
import type { AuditActor } from '../audit/actions.ts';
import { readArchiveSidecars } from '../archive/read-sidecars.ts';
import type { Sidecar } from '../archive/sidecar.ts';
import { findAccountId, getAccount, restoreAccount, unusedAccountName } from '../db/accounts.ts';
import { optimizeDatabase } from '../db/open-database.ts';
import { markArchived, upsertDiscovered } from '../db/recordings.ts';
import type { Db } from '../db/sqlite.ts';
import { vaultHoldsMedia } from '../db/vault.ts';
import { inTransaction } from '../db/transaction.ts';
import { DEFAULT_BASE_URLS } from '../contract/providers.ts';

export interface ReindexReport {
  sidecars: number;
  indexed: number;
  /** Accounts recreated from sidecars (disabled until their settings and secret are entered). */
  accountsRecreated: string[];
  problems: { relativePath: string; message: string }[];
  /** Sidecars whose media has no local file but is in the team vault (kept in the vault only). */
  vaultOnly: number;
}

/**
 * Rebuilds the index's recordings from the archive's files and sidecars alone: each sidecar
 * gives the provider metadata, the file's path, size and SHA-256. Rows keep their ids where
 * they exist, so audit history stays attached. Accounts named by sidecars but missing from the
 * index are recreated, disabled, with placeholder settings the user must complete.
 */
export async function reindexArchive(
  db: Db,
  archiveRoot: string,
  actor: AuditActor,
): Promise<ReindexReport> {
  const report: ReindexReport = {
    sidecars: 0,
    indexed: 0,
    accountsRecreated: [],
    problems: [],
    vaultOnly: 0,
  };
  for await (const entry of readArchiveSidecars(archiveRoot)) {
    report.sidecars++;
    if (!entry.ok) {
      report.problems.push({ relativePath: entry.relativePath, message: entry.message });
      continue;
    }
    // An attached officer's offline copy removed again: the vault still holds those bytes.
    if (entry.mediaSize === null && vaultHoldsMedia(db, entry.sidecar.file.sha256)) {
      indexSidecar(db, entry.sidecar, report);
      report.vaultOnly++;
      report.indexed++;
      continue;
    }
    if (entry.mediaSize === null) {
      report.problems.push({
        relativePath: entry.relativePath,
        message: 'The media file is missing.',
      });
      continue;
    }
    if (entry.mediaSize !== entry.sidecar.file.size) {
      report.problems.push({
        relativePath: entry.relativePath,
        message: `The media file has ${entry.mediaSize} bytes, the sidecar says ${entry.sidecar.file.size}.`,
      });
      continue;
    }
    indexSidecar(db, entry.sidecar, report);
    report.indexed++;
  }
  // A rebuilt index is a new shape for the planner: refresh its statistics now.
  optimizeDatabase(db);
  appendAudit(db, {
    actor,
    action: 'index.rebuilt',
    subject: 'archive',
    details: {
      sidecars: report.sidecars,
      indexed: report.indexed,
      accountsRecreated: report.accountsRecreated.length,
      problems: report.problems.length,
      vaultOnly: report.vaultOnly,
    },
  });
  return report;
}

/**
 * One recording's index row from its sidecar (its account recreated when missing), in one
 * transaction; the row's id, kept where it exists. Also how an attached vault's sidecars are
 * indexed (core/vault/attach), with no local file.
 */
export function indexSidecar(
  db: Db,
  sidecar: Sidecar,
  report: Pick<ReindexReport, 'accountsRecreated'>,
): number {
  return inTransaction(db, () => {
    const accountId = ensureAccount(db, sidecar, report);
    const { recording } = upsertDiscovered(db, accountId, sidecar.recording);
    markArchived(db, recording.id, {
      localPath: sidecar.file.relativePath,
      localSize: sidecar.file.size,
      sha256: sidecar.file.sha256,
      archivedAt: sidecar.archivedAt,
    });
    return recording.id;
  });
}

function ensureAccount(
  db: Db,
  sidecar: Sidecar,
  report: Pick<ReindexReport, 'accountsRecreated'>,
): number {
  const id = Number(sidecar.account.id);
  const existing = Number.isSafeInteger(id) ? getAccount(db, id) : null;
  if (existing && existing.provider === sidecar.provider) return existing.id;
  const byName = findAccountId(db, sidecar.account.name, sidecar.provider);
  if (byName !== null) return byName;
  const taken = existing !== null || !Number.isSafeInteger(id) || id <= 0;
  const restored = restoreAccount(db, {
    id: taken ? null : id,
    name: unusedAccountName(db, sidecar.account.name),
    ...(sidecar.provider === 'koreai'
      ? {
          provider: 'koreai',
          settings: { host: 'platform.kore.ai', botId: 'unknown', clientId: 'unknown' },
        }
      : { provider: sidecar.provider, settings: { baseUrl: DEFAULT_BASE_URLS[sidecar.provider] } }),
  });
  report.accountsRecreated.push(sidecar.account.name);
  return restored;
}
