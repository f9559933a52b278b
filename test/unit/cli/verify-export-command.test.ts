import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli/main.ts';
import { withoutEngine } from '../../../main/cli/without-engine.ts';

// `recvault verify-export` as a recipient without an archive meets it: help, usage, a path that
// is not there; and the engine-free table it goes through serves nothing that needs an archive.

async function cli(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const io = { stdout, stderr, stdin: new PassThrough(), env: {} };
  const code = await runCli(args, io);
  return { code, stdout: out, stderr: err };
}

describe('recvault verify-export', () => {
  it('documents itself, wants exactly one PATH, and reports a missing package as a failed check', async () => {
    const help = await cli(['verify-export', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: recvault verify-export PATH [--public-key FILE]');
    const none = await cli(['verify-export']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Give the package to check');
    const missing = await cli(['verify-export', '/nonexistent/for-legal.zip']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('FAIL  package');
    expect(missing.stdout).toContain('/nonexistent/for-legal.zip does not exist.');
    expect(missing.stdout).toContain('NOT VERIFIED');
  });

  it('goes through a table that refuses every channel needing an archive', async () => {
    const io = {
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      stdin: new PassThrough(),
      env: {},
    };
    const answers = await withoutEngine(io, async (api) => [
      await api.jobsList({}),
      await api.exportVerify({ path: '' }),
    ]);
    expect(answers[0]).toMatchObject({ ok: false, code: 'unsupported' });
    // Parsed by the contract's schema like any request: an empty path is refused there.
    expect(answers[1]).toMatchObject({ ok: false, code: 'invalid_arguments' });
  });
});
