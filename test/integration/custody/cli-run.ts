// The `recvault` command run in this process (main/cli/main.ts's runCli) on a data directory,
// for the custody tests: the same parsing, in-process client and exit codes as the built CLI.
import { Readable } from 'node:stream';
import { runCli } from '../../../main/cli/main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function recvaultIn(
  dataDir: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<CliRun> {
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
    env,
  });
  return { code, stdout, stderr };
}
