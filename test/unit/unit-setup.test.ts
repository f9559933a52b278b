import { execFile, spawn, spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { builtFile } from '../support/built.ts';

// The unit project's setup (test/support/unit-setup.ts) keeps these tests pure: a test that
// needs a process or a socket belongs in test/integration/, one that reads out/ in test/built/.
describe('unit project', () => {
  it('refuses to start a process, ffmpeg included', () => {
    expect(() => spawn('ffmpeg', ['-version'])).toThrow(/unit test may not start a process/);
    expect(() => spawnSync(process.execPath, ['-e', '0'])).toThrow(/test\/integration/);
    expect(() => execFile('true')).toThrow(/child_process\.execFile/);
  });

  it('refuses to listen on or connect to a socket', () => {
    expect(() => http.createServer().listen(0, '127.0.0.1')).toThrow(/may not listen/);
    expect(() => net.connect(9, '127.0.0.1')).toThrow(/may not open a socket/);
  });

  it('refuses to read the build', () => {
    expect(() => builtFile('main/cli.js')).toThrow(/may not read the build .*test\/built/);
  });
});
