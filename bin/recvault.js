#!/usr/bin/env node
// Thin launcher: the CLI is bundled with the engine by `npm run build` into out/main/cli.js.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`recvault needs Node.js 22.12 or newer (this is ${process.version}).\n`);
  process.exit(2);
}
const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('recvault is not built yet: run "npm run build" in the Recvault folder.\n');
  process.exit(2);
}
await import(cli);
