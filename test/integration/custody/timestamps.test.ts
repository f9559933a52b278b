import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { keyFileSource } from '../../../main/core/custody/signing-key.ts';
import type { Engine } from '../../../main/core/engine.ts';
import { openTestEngine } from '../../support/engine.ts';
import { request } from '../../support/handlers.ts';
import { tempDir } from '../../support/tmp.ts';
import { opensslTsVerify, startLocalTsa, type LocalTsaServer } from '../../support/tsa.ts';

// RFC 3161 against a throwaway TSA on 127.0.0.1 (openssl ts -reply): tokens kept as .tsr beside
// the checkpoint verify with `openssl ts -verify` and with the code; a TSA that is down leaves
// the checkpoint signed and its timestamp pending, obtained at the next checkpoint.

const run = promisify(execFile);
let engine: Engine | null = null;
const servers: LocalTsaServer[] = [];
afterEach(async () => {
  await engine?.close();
  engine = null;
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function setUp() {
  const tsa = await startLocalTsa(tempDir('recvault-tsa-'));
  servers.push(tsa);
  const keyFile = path.join(tempDir('recvault-keys-'), 'signing-key.pem');
  keyFileSource(keyFile).create();
  engine = await openTestEngine({}, { signingKey: keyFileSource(keyFile) });
  return { tsa, engine };
}

describe('RFC 3161 timestamps of checkpoints', () => {
  it('keeps the TSA token beside the checkpoint; openssl verifies it and the signature', async () => {
    const { tsa, engine } = await setUp();
    const checkpoint = await request(engine, 'checkpointCreate', { tsaUrl: tsa.url });
    expect(checkpoint.timestamp).toMatchObject({ state: 'stamped', tsaUrl: tsa.url, error: null });
    expect(checkpoint.timestamp.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const tsr = `${checkpoint.file}.tsr`;
    expect(fs.existsSync(tsr)).toBe(true);

    const verified = await opensslTsVerify(checkpoint.file, tsr, tsa.caFile);
    expect(verified.output).toContain('Verification: OK');
    expect(verified.ok).toBe(true);

    const keyPem = path.join(
      path.dirname(checkpoint.file),
      `public-key-${checkpoint.keyFingerprint}.pem`,
    );
    const { stdout } = await run('openssl', [
      'pkeyutl',
      '-verify',
      '-pubin',
      '-inkey',
      keyPem,
      '-rawin',
      '-in',
      checkpoint.file,
      '-sigfile',
      `${checkpoint.file}.sig`,
    ]);
    expect(stdout).toContain('Signature Verified Successfully');
    // The folder says what it holds, and how the tree is built.
    const readme = fs.readFileSync(path.join(path.dirname(checkpoint.file), 'README.txt'), 'utf8');
    expect(readme).toContain('RFC 6962 Merkle tree hash');
    expect(readme).toContain('openssl ts -verify');

    // The code's own check, with the CA the user gives.
    await request(engine, 'custodySettingsUpdate', { tsaCaFile: tsa.caFile });
    expect(await request(engine, 'verifyAudit', {})).toMatchObject({ ok: true, problems: [] });
  });

  it('reports a token that does not chain to the CA given', async () => {
    const { tsa, engine } = await setUp();
    await request(engine, 'checkpointCreate', { tsaUrl: tsa.url });
    const other = await startLocalTsa(tempDir('recvault-tsa-other-'));
    servers.push(other);
    await request(engine, 'custodySettingsUpdate', { tsaCaFile: other.caFile });
    const report = await request(engine, 'verifyAudit', {});
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      expect.objectContaining({
        kind: 'checkpoint_timestamp',
        message: expect.stringContaining(`does not verify against ${other.caFile}`),
      }),
    ]);
  });

  it('leaves the checkpoint signed and the timestamp pending while the TSA is down', async () => {
    const { tsa, engine } = await setUp();
    await request(engine, 'custodySettingsUpdate', { tsaUrl: tsa.url });
    tsa.down = true;
    const first = await request(engine, 'checkpointCreate', {});
    expect(first.timestamp).toMatchObject({ state: 'pending', tsaUrl: tsa.url });
    expect(first.timestamp.error).toContain('503');
    expect(fs.existsSync(first.file)).toBe(true);
    expect(fs.existsSync(`${first.file}.sig`)).toBe(true);
    expect(fs.existsSync(`${first.file}.tsr`)).toBe(false);

    tsa.down = false;
    const second = await request(engine, 'checkpointCreate', {});
    expect(second.timestamp.state).toBe('stamped');
    // The pending one was retried with it.
    expect((await opensslTsVerify(first.file, `${first.file}.tsr`, tsa.caFile)).ok).toBe(true);
    expect(tsa.stamped).toBe(2);
  });

  it('refuses a TSA CA certificate that does not exist, and keeps the setting', async () => {
    const { engine } = await setUp();
    const missing = path.join(tempDir('recvault-ca-'), 'nope.pem');
    await expect(request(engine, 'custodySettingsUpdate', { tsaCaFile: missing })).rejects.toThrow(
      `invalid_arguments: The TSA CA certificate ${missing} does not exist.`,
    );
    expect((await request(engine, 'custodyStatus', {})).settings.tsaCaFile).toBeNull();
  });

  it('is off by default: no TSA is asked', async () => {
    const { tsa, engine } = await setUp();
    const checkpoint = await request(engine, 'checkpointCreate', {});
    expect(checkpoint.timestamp).toMatchObject({ state: 'off', tsaUrl: null });
    expect(tsa.stamped).toBe(0);
  });
});
