// `npm run dev:web`: the real engine and the built renderer on 127.0.0.1, for a browser.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../core/engine.ts';
import { defaultDataDir } from '../core/paths.ts';
import { localKeyCipher } from '../core/secrets/local-key-cipher.ts';
import { createMediaSigner } from './media-signer.ts';
import { openInBrowser } from './open-browser.ts';
import { startBridge } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
    open: { type: 'boolean', default: false },
  },
});

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
// A --data-dir that does not exist yet is created, as the app creates its own on first start.
fs.mkdirSync(dataDir, { recursive: true });
const token = crypto.randomBytes(24).toString('base64url');
const media = createMediaSigner();
const engine = await openEngine({
  dataDir,
  resumeInterrupted: true,
  platform: {
    // No OS keychain outside Electron: secrets typed into the browser UI are encrypted with a
    // key file in the data directory (development and tests only).
    cipher: localKeyCipher(path.join(dataDir, 'bridge-secrets.key')),
    mediaUrl: media.url,
  },
});
const bridge = await startBridge({
  engine,
  token,
  media,
  rendererDir: path.join(here, '../renderer'),
  port: Number(values.port),
  log: (line) => console.error(line),
});
console.log(`Recvault bridge: ${bridge.url}`);
console.log(`Data directory: ${dataDir}`);
if (values.open) openInBrowser(bridge.url);

const stop = async () => {
  await bridge.close();
  await engine.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
