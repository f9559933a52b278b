import { AppError } from '../core/app-error.ts';
import type { HandlerTable } from '../core/api/dispatch.ts';
import { EventBus } from '../core/api/event-bus.ts';
import { inProcessApi, type InProcessApi } from '../core/api/in-process-client.ts';
import { REQUEST_CHANNELS } from '../core/contract/channels.ts';
import { verifyExport } from '../core/custody/verify-export/verify-export.ts';
import type { CliIo } from './io.ts';

// The commands a recipient runs who has no archive: the same contract and in-process client as
// every other command (requests parsed and refused by the same schemas), over a handler table
// that answers only the channels needing no data directory. No engine is opened, so nothing is
// created, locked or migrated, and a missing or deleted data directory does not matter.

/** The channels answered without an engine. */
const ENGINE_FREE: Partial<HandlerTable> = {
  exportVerify: (request) => verifyExport(request),
};

function engineFreeTable(): HandlerTable {
  const table: Record<string, (args: never) => unknown> = {};
  for (const channel of REQUEST_CHANNELS) {
    table[channel] = () => {
      throw new AppError('unsupported', `${channel} needs an archive; this command opens none.`);
    };
  }
  return { ...(table as unknown as HandlerTable), ...ENGINE_FREE };
}

export async function withoutEngine<T>(
  io: CliIo,
  run: (api: InProcessApi) => Promise<T>,
): Promise<T> {
  return run(
    inProcessApi(engineFreeTable(), new EventBus(), (channel, error) =>
      io.stderr.write(
        `recvault: unexpected error in ${channel}: ${error instanceof Error ? error.message : String(error)}\n`,
      ),
    ),
  );
}
