import fs from 'node:fs';
import path from 'node:path';
import type { CheckpointView, SigningKeyView } from '../../core/contract/custody.ts';
import { parseCommand } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_ITEMS_FAILED, EXIT_OK, UsageError } from '../usage-error.ts';

const KEY_FILE_HELP = `  --key-file FILE   the signing key (default: RECVAULT_KEY_FILE, else
                    ~/.config/recvault-keys/signing-key.pem; never inside the data directory)`;

export const KEY_HELP = `Usage: recvault key init [--key-file FILE]
       recvault key show [--key-file FILE] [--json]
       recvault key export --out FILE [--key-file FILE]

The installation's Ed25519 signing key, which signs every checkpoint of the archive.
  init               create the key file (0600), once per installation; refused if one exists
  show               print the public key (PEM) and its fingerprint (SHA-256 of the DER SPKI)
  export --out FILE  write the public key (PEM) to FILE, for whoever checks your exports

Options:
${KEY_FILE_HELP}

Keep the key file private and backed up apart from the archive: a checkpoint proves the archive
only to someone who trusts this key's fingerprint.`;

export const CHECKPOINT_HELP = `Usage: recvault checkpoint [--tsa-url URL] [--retry-timestamps] [options]

Signs a checkpoint now: the audit log's head and a Merkle root over the SHA-256 of every
archived file, written to the index and to <data-dir>/checkpoints/. One is also made after every
sync, export and verify. With a time-stamping authority (--tsa-url, RECVAULT_TSA_URL, or the
app's settings) the checkpoint's SHA-256 is timestamped (RFC 3161, a .tsr beside it); a TSA that
does not answer leaves the timestamp pending, retried at the next checkpoint.

Options:
  --tsa-url URL        the RFC 3161 time-stamping authority for this checkpoint
  --retry-timestamps   only ask the TSA again for checkpoints whose timestamp is pending
${KEY_FILE_HELP}

Exit code 0 when signed (and timestamped, when a TSA was asked); 1 when the timestamp is pending.`;

const KEY_OPTIONS = { 'key-file': { type: 'string' } } as const;

function keyLines(key: SigningKeyView): string[] {
  return [
    `Signing key: ${key.location}`,
    `Fingerprint (SHA-256 of the public key's DER SPKI): ${key.fingerprint}`,
    (key.publicKeyPem ?? '').trimEnd(),
  ];
}

export async function keyCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return printHelp(io, KEY_HELP);
  if (sub !== 'init' && sub !== 'show' && sub !== 'export') {
    throw new UsageError(`Unknown key command "${sub}". Run "recvault key --help".`);
  }
  const { values } = parseCommand(rest, {
    ...KEY_OPTIONS,
    ...(sub === 'export' ? { out: { type: 'string' } } : {}),
  } as typeof KEY_OPTIONS & { out: { type: 'string' } });
  if (values.help) return printHelp(io, KEY_HELP);
  const out = new Output(io, values.json);
  const outFile = values.out;
  if (sub === 'export' && !outFile) throw new UsageError('key export needs --out FILE.');
  return withApi(io, values['data-dir'], { keyFile: values['key-file'] }, async (api) => {
    if (sub === 'init') {
      const key = await unwrap(api.signingKeyCreate({}));
      out.result(key, () => ['Created a new signing key.', ...keyLines(key)]);
      return EXIT_OK;
    }
    const { key } = await unwrap(api.custodyStatus({}));
    if (!key?.publicKeyPem) {
      throw new UsageError(
        `No signing key at ${key?.location ?? 'the key file'}. Create one with "recvault key init".`,
      );
    }
    if (sub === 'export') {
      const target = path.resolve(outFile!);
      // Never over another file: it might be someone's key.
      fs.writeFileSync(target, key.publicKeyPem, { flag: 'wx' });
      out.result({ ...key, exportedTo: target }, () => [
        `Wrote the public key to ${target}.`,
        `Fingerprint: ${key.fingerprint}`,
      ]);
      return EXIT_OK;
    }
    out.result(key, () => keyLines(key));
    return EXIT_OK;
  });
}

function checkpointLines(checkpoint: CheckpointView): string[] {
  const stamp = checkpoint.timestamp;
  return [
    `Checkpoint ${checkpoint.seq} signed at ${checkpoint.createdAt}: ${checkpoint.file}`,
    `  audit head   ${checkpoint.auditSeq} ${checkpoint.auditHash}`,
    `  archive      ${checkpoint.fileCount} files, Merkle root ${checkpoint.merkleRoot}`,
    `  key          ${checkpoint.keyFingerprint}`,
    stamp.state === 'stamped'
      ? `  timestamp    ${stamp.time ?? '?'} from ${stamp.tsaUrl}`
      : stamp.state === 'pending'
        ? `  timestamp    PENDING (${stamp.error ?? 'not answered'}); retried at the next checkpoint`
        : '  timestamp    none (no TSA configured)',
  ];
}

export async function checkpointCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {
    ...KEY_OPTIONS,
    'tsa-url': { type: 'string' },
    'retry-timestamps': { type: 'boolean', default: false },
  });
  if (values.help) return printHelp(io, CHECKPOINT_HELP);
  const out = new Output(io, values.json);
  const tsaUrl = values['tsa-url'];
  return withApi(io, values['data-dir'], { keyFile: values['key-file'] }, async (api) => {
    if (values['retry-timestamps']) {
      const result = await unwrap(api.timestampsRetry(tsaUrl ? { tsaUrl } : {}));
      const { lastCheckpoint } = await unwrap(api.custodyStatus({}));
      out.result(result, () => [`${result.stamped} pending timestamp(s) obtained.`]);
      return lastCheckpoint?.timestamp.state === 'pending' ? EXIT_ITEMS_FAILED : EXIT_OK;
    }
    const checkpoint = await unwrap(api.checkpointCreate(tsaUrl ? { tsaUrl } : {}));
    out.result(checkpoint, () => checkpointLines(checkpoint));
    return checkpoint.timestamp.state === 'pending' ? EXIT_ITEMS_FAILED : EXIT_OK;
  });
}
