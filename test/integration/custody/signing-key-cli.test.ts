import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../support/tmp.ts';
import { recvaultIn } from './cli-run.ts';

// The CLI's signing key: a 0600 file outside the data directory, made only by `recvault key
// init`; a missing key is an error naming the file, never a silent new key.

function setUp() {
  const root = tempDir('recvault-key-cli-');
  const dataDir = path.join(root, 'data');
  const keyFile = path.join(root, 'keys', 'signing-key.pem');
  const env = { HOME: path.join(root, 'home'), RECVAULT_KEY_FILE: keyFile };
  return { root, dataDir, keyFile, env };
}

describe('recvault key and checkpoint', () => {
  it('refuses to checkpoint without a key, naming the file, and makes none', async () => {
    const { dataDir, keyFile, env } = setUp();
    const result = await recvaultIn(dataDir, ['checkpoint'], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No signing key at ${keyFile}`);
    expect(result.stderr).toContain('recvault key init');
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'checkpoints'))).toBe(false);
  });

  it('key init makes a 0600 key once; show prints the SPKI fingerprint openssl computes', async () => {
    const { dataDir, keyFile, env } = setUp();
    const init = await recvaultIn(dataDir, ['key', 'init'], env);
    expect(init.code).toBe(0);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const before = fs.readFileSync(keyFile);

    const again = await recvaultIn(dataDir, ['key', 'init'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`A signing key already exists at ${keyFile}`);
    expect(fs.readFileSync(keyFile)).toEqual(before);

    const der = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout', '-outform', 'DER']);
    const fingerprint = createHash('sha256').update(der).digest('hex');
    const show = await recvaultIn(dataDir, ['key', 'show'], env);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain(
      `Fingerprint (SHA-256 of the public key's DER SPKI): ${fingerprint}`,
    );
    expect(show.stdout).toContain('-----BEGIN PUBLIC KEY-----');

    const out = path.join(path.dirname(dataDir), 'public.pem');
    const exported = await recvaultIn(dataDir, ['key', 'export', '--out', out], env);
    expect(exported.code).toBe(0);
    const pem = execFileSync('openssl', ['pkey', '-in', keyFile, '-pubout']).toString();
    expect(fs.readFileSync(out, 'utf8')).toBe(pem);

    const checkpoint = await recvaultIn(dataDir, ['checkpoint', '--json'], env);
    expect(checkpoint.code).toBe(0);
    const view = JSON.parse(checkpoint.stdout);
    expect(view).toMatchObject({ seq: 1, reason: 'on-demand', keyFingerprint: fingerprint });
    expect(fs.existsSync(view.file)).toBe(true);
  });

  it('takes --key-file, and refuses a key inside the data directory or readable by others', async () => {
    const { root, dataDir, env } = setUp();
    const other = path.join(root, 'elsewhere', 'k.pem');
    expect((await recvaultIn(dataDir, ['key', 'init', '--key-file', other], env)).code).toBe(0);
    expect(fs.existsSync(other)).toBe(true);
    const shown = await recvaultIn(dataDir, ['key', 'show', '--key-file', other], env);
    expect(shown.stdout).toContain(`Signing key: ${other}`);

    const inside = await recvaultIn(dataDir, ['key', 'init'], {
      ...env,
      RECVAULT_KEY_FILE: path.join(dataDir, 'k.pem'),
    });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('is inside the data directory');

    fs.chmodSync(other, 0o644);
    const open = await recvaultIn(dataDir, ['checkpoint', '--key-file', other], env);
    expect(open.code).toBe(2);
    expect(open.stderr).toContain(`chmod 600 ${other}`);
  });
});
