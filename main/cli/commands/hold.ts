import type { HoldView } from '../../core/contract/compliance.ts';
import { parseCommand, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp, table } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';
import { resolveRecordingId } from './export.ts';
import { queryFromFlags } from './search.ts';

export const HOLD_HELP = `Usage:
  recvault hold create NAME [--reference R] [--description D]
  recvault hold add NAME (--query TEXT | ID...)
  recvault hold list [--json]
  recvault hold release NAME --reason TEXT

Legal holds: a matter holds recordings (index ids from "recvault search", provider ids such as
rec_…, or every recording a search --query matches) so that no retention rule ever disposes of
them. Releasing a matter needs a reason; every change is in the audit log.
Export a matter with "recvault export --hold NAME --out DIR".`;

const OPTIONS = {
  reference: { type: 'string' },
  description: { type: 'string' },
  query: { type: 'string' },
  reason: { type: 'string' },
} as const;

export async function holdCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return printHelp(io, HOLD_HELP);
  const { values, positionals } = parseCommand(rest, OPTIONS, true);
  if (values.help) return printHelp(io, HOLD_HELP);
  const out = new Output(io, values.json);
  const [name, ...ids] = positionals;
  const needName = () => {
    if (!name?.trim()) throw new UsageError(`recvault hold ${sub} needs the matter's NAME.`);
    return name;
  };
  const noneOf = (...flags: (keyof typeof OPTIONS)[]) => {
    for (const flag of flags) {
      if (values[flag] !== undefined) throw new UsageError(`hold ${sub} takes no --${flag}.`);
    }
  };
  switch (sub) {
    case 'create': {
      const matter = needName();
      noneOf('query', 'reason');
      if (ids.length)
        throw new UsageError('hold create takes one NAME (quote a name with spaces).');
      return withApi(io, values['data-dir'], {}, async (api) => {
        const hold = await unwrap(
          api.holdCreate({
            name: matter,
            reference: values.reference ?? '',
            description: values.description ?? '',
          }),
        );
        out.result(hold, () => `Created legal hold "${hold.name}".`);
        return EXIT_OK;
      });
    }
    case 'add': {
      const matter = needName();
      noneOf('reference', 'description', 'reason');
      if (values.query !== undefined && ids.length) {
        throw new UsageError('Give --query or ids, not both.');
      }
      if (values.query === undefined && ids.length === 0) {
        throw new UsageError('Say what to hold: recording ids, or --query TEXT.');
      }
      return withApi(io, values['data-dir'], {}, async (api) => {
        const recordingIds: number[] = [];
        for (const id of ids) recordingIds.push(await resolveRecordingId(api, id));
        const query =
          values.query === undefined ? null : await queryFromFlags(api, values.query, {});
        const added = await unwrap(api.holdAdd({ name: matter, recordingIds, query }));
        out.result(
          added,
          () =>
            `Legal hold "${added.hold.name}": ${added.added} recording(s) added, ${added.alreadyHeld} already held, ${added.hold.recordings} in all.`,
        );
        return EXIT_OK;
      });
    }
    case 'list': {
      noneOf('reference', 'description', 'query', 'reason');
      if (positionals.length) throw new UsageError('hold list takes no arguments.');
      return withApi(io, values['data-dir'], {}, async (api) => {
        const holds = await unwrap(api.holdsList({}));
        out.result(holds, () => holdTable(holds));
        return EXIT_OK;
      });
    }
    case 'release': {
      const matter = needName();
      noneOf('reference', 'description', 'query');
      const reason = requireString(values.reason, '--reason');
      return withApi(io, values['data-dir'], {}, async (api) => {
        const hold = await unwrap(api.holdRelease({ name: matter, reason }));
        out.result(
          hold,
          () => `Released legal hold "${hold.name}" (${hold.recordings} recording(s)): ${reason}`,
        );
        return EXIT_OK;
      });
    }
    default:
      throw new UsageError(`Unknown hold command "${sub}". Run "recvault hold --help".`);
  }
}

function holdTable(holds: HoldView[]): string[] {
  if (holds.length === 0) return ['No legal holds.'];
  return table(
    ['NAME', 'REFERENCE', 'RECORDINGS', 'CREATED', 'BY', 'STATUS'],
    holds.map((hold) => [
      hold.name,
      hold.reference || '-',
      String(hold.recordings),
      hold.createdAt.slice(0, 10),
      hold.createdBy,
      hold.releasedAt
        ? `released ${hold.releasedAt.slice(0, 10)}: ${hold.releaseReason}`
        : 'active',
    ]),
  );
}
