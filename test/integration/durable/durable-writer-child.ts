// Run under strace by durable-writes.test.ts: writes each file the durability rule covers once,
// into the folder given as argv[2]. Plain `node` (type stripping).
import fs from 'node:fs';
import path from 'node:path';
import { FolderDestination } from '../../../main/core/convert/folder-destination.ts';
import { ZipDestination } from '../../../main/core/convert/zip-destination.ts';
import { localKeyCipher } from '../../../main/core/secrets/local-key-cipher.ts';
import { SecretStore } from '../../../main/core/secrets/secret-store.ts';
import { SettingsStore } from '../../../main/core/settings/settings-store.ts';

const dir = process.argv[2]!;
new SettingsStore(dir, path.join(dir, 'archive')).update({ concurrency: 2 });
const cipher = localKeyCipher(path.join(dir, 'bridge-secrets.key'));
new SecretStore(dir).put('secret:1', cipher, 'swordfish');

async function exportTo(destination: FolderDestination | ZipDestination): Promise<void> {
  await destination.stage(['call.wav']);
  const temp = destination.tempPath();
  fs.writeFileSync(temp, Buffer.alloc(4096, 7));
  await destination.commitFile(temp, 'call.wav');
  await destination.writeTextFile('SHA256SUMS', 'x  call.wav\n');
  await destination.finish(['call.wav', 'SHA256SUMS']);
}
await exportTo(new FolderDestination(path.join(dir, 'out')));
await exportTo(new ZipDestination(path.join(dir, 'calls.zip')));
