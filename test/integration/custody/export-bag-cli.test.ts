import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { archivedKallglotSession } from '../../support/engine.ts';
import { tempDir } from '../../support/tmp.ts';
import { startLocalTsa } from '../../support/tsa.ts';
import { recvaultIn } from './cli-run.ts';

// The officer's `recvault export --bag` and the recipient's `recvault verify-export`, both as
// typed: the engine's own signing key and checkpoint service, a local TSA on 127.0.0.1, and the
// data directory deleted before the recipient checks.

describe('recvault export --bag, then verify-export elsewhere', () => {
  it('signs and timestamps a fresh checkpoint into the zip, which verifies with the key and TSA CA alone', async () => {
    const session = await archivedKallglotSession('sess_BAGCLI');
    const dataDir = session.engine.paths.dataDir;
    const ids = session.ids.map(String);
    await session.close();
    const root = tempDir('recvault-bag-cli-');
    const tsa = await startLocalTsa(fs.mkdtempSync(path.join(root, 'tsa-')));
    try {
      const env = {
        HOME: path.join(root, 'home'),
        RECVAULT_KEY_FILE: path.join(root, 'keys', 'signing-key.pem'),
        RECVAULT_TSA_URL: tsa.url,
      };
      expect((await recvaultIn(dataDir, ['key', 'init'], env)).code).toBe(0);
      const zip = path.join(root, 'out', 'for-legal.zip');
      const exported = await recvaultIn(
        dataDir,
        ['export', '--bag', '--organization', 'Acme Compliance', '--zip', zip, ...ids],
        env,
      );
      expect(exported.stderr).toBe('');
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/BagIt bag: manifest-sha256\.txt SHA-256 [0-9a-f]{64}/);
      expect(tsa.stamped).toBeGreaterThanOrEqual(1);
      const publicKey = path.join(root, 'sender.pem');
      expect((await recvaultIn(dataDir, ['key', 'export', '--out', publicKey], env)).code).toBe(0);

      fs.rmSync(dataDir, { recursive: true, force: true });
      const verified = await recvaultIn(
        path.join(root, 'nowhere'),
        ['verify-export', zip, '--public-key', publicKey, '--tsa-ca', tsa.caFile],
        {},
      );
      expect(verified.stdout).toContain('by a TSA that chains to');
      expect(verified.stdout).toContain('VERIFIED: every check holds');
      expect(verified.stdout).toContain(
        "3 original(s) proven in the checkpoint's archive Merkle tree",
      );
      expect(verified.code).toBe(0);
      expect(fs.existsSync(path.join(root, 'nowhere'))).toBe(false);

      // Another authority's CA does not vouch for the token.
      const otherCa = await startLocalTsa(fs.mkdtempSync(path.join(root, 'other-')));
      await otherCa.close();
      const wrongCa = await recvaultIn(
        path.join(root, 'nowhere'),
        ['verify-export', zip, '--tsa-ca', otherCa.caFile],
        {},
      );
      expect(wrongCa.code).toBe(1);
      expect(wrongCa.stdout).toMatch(
        /FAIL\s+timestamp\s+custody\/checkpoint\.tsr: The timestamp does not verify/,
      );
    } finally {
      await tsa.close();
    }
  });
});

describe('recvault export --bag without a signing key', () => {
  it('is refused before converting anything, naming the key file and recvault key init', async () => {
    const session = await archivedKallglotSession('sess_BAGNOKEY');
    const dataDir = session.engine.paths.dataDir;
    const ids = session.ids.map(String);
    await session.close();
    const root = tempDir('recvault-bag-nokey-');
    const keyFile = path.join(root, 'keys', 'signing-key.pem');
    const out = path.join(root, 'for-legal');
    const result = await recvaultIn(dataDir, ['export', '--bag', '--out', out, ...ids], {
      HOME: path.join(root, 'home'),
      RECVAULT_KEY_FILE: keyFile,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No signing key at ${keyFile}`);
    expect(result.stderr).toContain('recvault key init');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(keyFile)).toBe(false);
  });
});
