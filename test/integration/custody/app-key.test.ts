import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../../main/core/engine.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { openAppEngine, request, RequestRefused } from '../../support/handlers.ts';
import { newDataDir } from '../../support/engine.ts';

// The app's signing key: made with the first checkpoint, kept encrypted by the platform's
// cipher (the keychain in the app; the bridge's local key here), reused after a restart, and
// never silently replaced once checkpoints exist.

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.close();
  engine = null;
});

async function open(dataDir: string): Promise<Engine> {
  fs.mkdirSync(dataDir, { recursive: true });
  const cipher = localKeyCipher(path.join(dataDir, 'bridge-secrets.key'));
  engine = await openAppEngine({}, { dataDir, platform: { cipher } });
  return engine;
}

describe("the app's signing key", () => {
  it('is made with the first checkpoint, sealed, and the same after a restart', async () => {
    const dataDir = newDataDir();
    const first = await open(dataDir);
    expect((await request(first, 'custodyStatus', {})).key).toMatchObject({
      kind: 'keychain',
      fingerprint: null,
    });
    const checkpoint = await request(first, 'checkpointCreate', {});
    const sealed = fs.readFileSync(path.join(dataDir, 'signing-key.sealed'));
    expect(sealed.toString('latin1')).not.toContain('PRIVATE KEY');
    await first.close();

    const again = await open(dataDir);
    const status = await request(again, 'custodyStatus', {});
    expect(status.key?.fingerprint).toBe(checkpoint.keyFingerprint);
    expect(status.lastCheckpoint?.seq).toBe(1);
  });

  it('is not replaced by a new one when it goes missing after checkpoints were made', async () => {
    const dataDir = newDataDir();
    const first = await open(dataDir);
    await request(first, 'checkpointCreate', {});
    await first.close();
    fs.rmSync(path.join(dataDir, 'signing-key.sealed'));

    const again = await open(dataDir);
    const refused = await request(again, 'checkpointCreate', {}).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RequestRefused);
    expect((refused as Error).message).toContain('signing-key.sealed');
    expect(fs.existsSync(path.join(dataDir, 'signing-key.sealed'))).toBe(false);
  });
});
