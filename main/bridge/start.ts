// `npm run dev:web`: the real engine and the built renderer on 127.0.0.1, for a browser.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openEngine } from '../core/engine.ts';
import { defaultDataDir } from '../core/paths.ts';
import { startBridge } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
  },
});

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : defaultDataDir();
const engine = await openEngine({ dataDir, transport: 'bridge' });
const bridge = await startBridge({
  engine,
  rendererDir: path.join(here, '../renderer'),
  port: Number(values.port),
  log: (line) => console.error(line),
});
console.log(`Recvault bridge: ${bridge.url}`);
console.log(`Data directory: ${dataDir}`);

const stop = async () => {
  await bridge.close();
  await engine.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
