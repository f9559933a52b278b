// The `recvault` command run in this process (main/cli/main.ts's runCli) on a data directory:
// the same argument parsing, in-process client and exit codes as the built CLI, without a
// build (the provider fakes answer from this same process).
import path from 'node:path';
import { Readable } from 'node:stream';
import { runCli } from '../../../main/cli/main.ts';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function recvault(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (text: string) => void) =>
    ({
      write: (chunk: string | Uint8Array) => {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout: sink((t) => (stdout += t)),
    stderr: sink((t) => (stderr += t)),
    stdin: Readable.from([]),
    // HOME beside the data directory: the signing key (issue 12) must live outside it.
    env: { HOME: path.join(path.dirname(dataDir), 'home'), ...env },
  });
  return { code, stdout, stderr };
}

/** Runs it and fails with its output unless it exits `expected`. */
export async function recvaultOk(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  expected = 0,
): Promise<InProcessResult> {
  const result = await recvault(dataDir, args, env);
  if (result.code !== expected) {
    throw new Error(
      `recvault ${args.join(' ')} exited ${result.code} (wanted ${expected})\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result;
}
