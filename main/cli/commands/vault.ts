import type { VaultStatus } from '../../core/contract/vault.ts';
import { VAULT_MODES, type VaultMode } from '../../core/contract/vocabulary.ts';
import { parseCommand, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';

export const VAULT_HELP = `Usage:
  recvault vault add s3 --endpoint URL --bucket B [--region R] --access-key-env VAR
                        --secret-key-env VAR --mode ${VAULT_MODES.join('|')} --retain-days N [--prefix P]
  recvault vault attach s3 (the same options) [--copy-media]: a vault other officers already fill
  recvault vault test
  recvault vault status [--json]
  recvault vault sync
  recvault vault verify [--sample N]
  recvault vault fetch --recording ID [--recording ID …]

The team vault: an S3 bucket with Object Lock (AWS S3, Ceph RGW, MinIO, Wasabi, Backblaze B2)
that keeps every archived recording, its sidecar and every signed checkpoint where nobody can
alter or delete them before their retain-until date. The keys are read from the environment
variables named (their names are kept, never the keys). "vault add" checks the bucket first
and refuses one without Object Lock or versioning. Every sync uploads what it archived; "vault
sync" uploads the rest (the back-fill) and resumes an interrupted upload; "vault verify"
re-reads the objects' bytes and names what differs or is missing (exit code 1). "vault attach"
builds this index from the vault's day bundles without downloading any media: the recordings
stay in the vault (played, exported and verified from it) until "vault fetch" keeps an offline
copy in this archive (hash-checked against the index, recorded in the audit log);
--copy-media copies every one at attach instead.`;

const OPTIONS = {
  endpoint: { type: 'string' },
  bucket: { type: 'string' },
  region: { type: 'string' },
  prefix: { type: 'string' },
  'access-key-env': { type: 'string' },
  'secret-key-env': { type: 'string' },
  mode: { type: 'string' },
  'retain-days': { type: 'string' },
  sample: { type: 'string' },
  recording: { type: 'string', multiple: true },
  'copy-media': { type: 'boolean' },
} as const;

export async function vaultCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return printHelp(io, VAULT_HELP);
  const { values, positionals } = parseCommand(rest, OPTIONS, true);
  if (values.help) return printHelp(io, VAULT_HELP);
  const out = new Output(io, values.json);
  const dataDir = values['data-dir'];
  switch (sub) {
    case 'add':
    case 'attach': {
      if (positionals[0] !== 's3' || positionals.length > 1) {
        throw new UsageError(`recvault vault ${sub} takes the kind of store: s3.`);
      }
      if (sub === 'add' && values['copy-media']) {
        throw new UsageError('--copy-media is for recvault vault attach s3 only.');
      }
      const mode = requireString(values.mode, '--mode') as VaultMode;
      if (!VAULT_MODES.includes(mode)) {
        throw new UsageError(`--mode is ${VAULT_MODES.join(' or ')}, not "${mode}".`);
      }
      const retainDays = Number(requireString(values['retain-days'], '--retain-days'));
      if (!Number.isInteger(retainDays) || retainDays < 1) {
        throw new UsageError('--retain-days is a whole number of days, at least 1.');
      }
      const request = {
        endpoint: requireString(values.endpoint, '--endpoint'),
        bucket: requireString(values.bucket, '--bucket'),
        region: values.region ?? 'us-east-1',
        prefix: values.prefix ?? '',
        mode,
        retainDays,
        attach: sub === 'attach',
        copyMedia: values['copy-media'] === true,
        accessKeyEnv: requireString(values['access-key-env'], '--access-key-env'),
        secretKeyEnv: requireString(values['secret-key-env'], '--secret-key-env'),
      };
      return withApi(io, dataDir, {}, async (api) => {
        const status = await unwrap(api.vaultAddWithEnvKeys(request));
        out.result(status, () => [
          `Vault set: s3 ${status.target!.endpoint} bucket ${status.target!.bucket} (${status.target!.mode}, ${status.target!.retainDays} days).`,
          ...(sub === 'attach'
            ? [
                request.copyMedia
                  ? 'Every recording was indexed and copied into this archive from the vault.'
                  : 'Every recording was indexed from the vault; the media stays there (played and exported from it). Run "recvault vault fetch --recording ID" to keep an offline copy.',
                ...(status.lastError ? [status.lastError] : []),
              ]
            : ['Run "recvault vault sync" to upload what is archived already.']),
        ]);
        return EXIT_OK;
      });
    }
    case 'test':
      return withApi(io, dataDir, {}, async (api) => {
        const result = await unwrap(api.vaultTest({}));
        out.result(result, () => [
          ...result.checks.map((c) => `${c.ok ? 'ok    ' : 'FAILED'} ${c.name}: ${c.detail}`),
          result.ok ? 'The vault is ready.' : 'The vault is NOT usable.',
        ]);
        return result.ok ? EXIT_OK : EXIT_ITEMS_FAILED;
      });
    case 'status':
      return withApi(io, dataDir, {}, async (api) => {
        const status = await unwrap(api.vaultStatus({}));
        out.result(status, () => statusLines(status));
        return EXIT_OK;
      });
    case 'sync':
      return withApi(io, dataDir, {}, async (api) => {
        const result = await unwrap(api.vaultSync({}));
        const failures = result.failed.map((f) => `failed  ${f.item}: ${f.reason}`);
        out.problems(failures);
        out.result(result, () => [
          ...failures,
          `${result.uploaded} object(s) uploaded, ${result.alreadyThere} already in the vault, ${result.failed.length} failed; ${result.holdsChanged} legal hold(s) changed; ${result.bundled} recording(s) added to day bundles.`,
        ]);
        return result.failed.length ? EXIT_ITEMS_FAILED : EXIT_OK;
      });
    case 'verify': {
      const sample = values.sample === undefined ? null : Number(values.sample);
      if (sample !== null && (!Number.isInteger(sample) || sample < 1)) {
        throw new UsageError('--sample is a whole number, at least 1.');
      }
      return withApi(io, dataDir, {}, async (api) => {
        const result = await unwrap(api.vaultVerify({ sample }));
        const lines = result.findings.map(
          (f) => `${f.problem.padEnd(10)} ${f.objectKey}: ${f.detail}`,
        );
        out.problems(lines);
        out.result(result, () => [
          ...lines,
          result.findings.length
            ? `${result.findings.length} of ${result.checked} object(s) differ or are missing (queued to be written again).`
            : `${result.checked} object(s) re-read: every one matches.`,
        ]);
        return result.findings.length ? EXIT_ITEMS_FAILED : EXIT_OK;
      });
    }
    case 'fetch': {
      const ids = (values.recording ?? []).map(Number);
      if (ids.length === 0 || ids.some((id) => !Number.isSafeInteger(id) || id < 1)) {
        throw new UsageError(
          'recvault vault fetch takes --recording ID (an index id, see search).',
        );
      }
      return withApi(io, dataDir, {}, async (api) => {
        const lines: string[] = [];
        const problems: string[] = [];
        const copies = [];
        for (const recordingId of ids) {
          const copied = await api.vaultFetch({ recordingId });
          if (!copied.ok) {
            problems.push(`failed  ${recordingId}: ${copied.message}`);
            continue;
          }
          copies.push(copied.value);
          const c = copied.value;
          lines.push(
            c.alreadyLocal
              ? `local   ${c.remoteId}: ${c.localPath} is here already (SHA-256 matches).`
              : `copied  ${c.remoteId}: ${c.bytes} bytes to ${c.localPath} (SHA-256 ${c.sha256}).`,
          );
        }
        out.problems(problems);
        out.result(copies, () => [...lines, ...problems]);
        return problems.length ? EXIT_ITEMS_FAILED : EXIT_OK;
      });
    }
    default:
      throw new UsageError(`Unknown vault command "${sub}". Run "recvault vault --help".`);
  }
}

function statusLines(status: VaultStatus): string[] {
  const target = status.target;
  if (!target) return ['No team vault is set up (recvault vault add s3 …).'];
  return [
    `Vault: s3 ${target.endpoint} bucket ${target.bucket}${target.prefix ? ` prefix ${target.prefix}` : ''}`,
    `Lock: ${target.mode}, at least ${target.retainDays} days; keys: ${
      target.keys.source === 'env'
        ? `environment ${target.keys.accessKeyEnv} / ${target.keys.secretKeyEnv}`
        : 'keychain'
    }`,
    `Objects: ${status.vaulted} vaulted, ${status.queued} queued, ${status.failed} failed.`,
    ...status.failures.map((f) => `failed  ${f.item}: ${f.reason}`),
    ...(status.lastError ? [status.lastError] : []),
  ];
}
