import { AppError } from '../app-error.ts';
import type { ScheduleEntries } from '../contract/compliance.ts';
import { capabilitiesOf } from '../contract/providers.ts';
import type { ParsedRequestArgs } from '../contract/requests.ts';
import type { AccountView } from '../contract/types.ts';
import { scheduleEntries, syncArgs } from './print-entries.ts';

/** `recvault schedule print` for one account: its sync, as each platform's scheduler runs it. */
export function printSchedule(
  account: AccountView,
  request: ParsedRequestArgs<'schedulePrint'>,
): ScheduleEntries {
  const byDate = capabilitiesOf(account.provider).dateRange;
  const fromFile = request.fromFile ?? null;
  if (!byDate && fromFile === null) {
    throw new AppError(
      'invalid_arguments',
      `${capabilitiesOf(account.provider).name} cannot list recordings by date: give --from-file with the ids each run syncs.`,
    );
  }
  return scheduleEntries({
    accountName: account.name,
    everyHours: request.everyHours ?? null,
    dailyAt: request.dailyAt ?? null,
    program: request.program,
    secretEnv: account.secretEnv,
    args: syncArgs({
      accountName: account.name,
      windowDays: request.windowDays,
      dataDir: request.dataDir,
      fromFile,
    }),
  });
}
