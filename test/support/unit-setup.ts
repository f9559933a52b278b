// Setup of the `unit` Vitest project: a unit test stays in this process and off the network.
// Starting a process (ffmpeg included) or opening a socket fails and says where the test belongs.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

const UNIT_REFUSAL = 'move it to test/integration/ (README, Layout)';

function refuse(what: string): never {
  throw new Error(`A unit test may not ${what}: ${UNIT_REFUSAL}.`);
}

const processStarters = [
  'spawn',
  'spawnSync',
  'exec',
  'execSync',
  'execFile',
  'execFileSync',
  'fork',
] as const;
for (const name of processStarters) {
  Object.assign(childProcess, { [name]: () => refuse(`start a process (child_process.${name})`) });
}
net.Server.prototype.listen = function listen(): never {
  refuse('listen on a socket');
};
net.Socket.prototype.connect = function connect(): never {
  refuse('open a socket');
};
// ESM imports of node:child_process see the replaced functions too.
syncBuiltinESMExports();
