import { parseKeep } from '../../core/contract/compliance.ts';
import { parseCommand, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp, table } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, UsageError } from '../usage-error.ts';

export const RETENTION_HELP = `Usage:
  recvault retention set [--account N] --keep 90d|7y|forever
  recvault retention list [--json]

Local retention rules: keep archived recordings N days (90d) or years (7y) after their
recording date, or forever. A rule for an account overrides the global one (no --account);
without any rule nothing is ever eligible for disposal. Recordings without a recording date are
never eligible. "recvault dispose --dry-run" lists what the rules make eligible.`;

const OPTIONS = { account: { type: 'string' }, keep: { type: 'string' } } as const;

export async function retentionCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') return printHelp(io, RETENTION_HELP);
  const { values, positionals } = parseCommand(rest, OPTIONS);
  if (values.help) return printHelp(io, RETENTION_HELP);
  if (positionals.length) throw new UsageError(`retention ${sub} takes no arguments.`);
  const out = new Output(io, values.json);
  if (sub === 'set') {
    const keep = requireString(values.keep, '--keep');
    if (parseKeep(keep) === null) {
      throw new UsageError('--keep takes a number of days or years (90d, 7y) or forever.');
    }
    return withApi(io, values['data-dir'], {}, async (api) => {
      const accountId =
        values.account === undefined
          ? null
          : (await unwrap(api.accountByName({ name: values.account }))).id;
      const rule = await unwrap(api.retentionSet({ accountId, keep }));
      out.result(rule, () => `Retention rule set: ${rule.label}.`);
      return EXIT_OK;
    });
  }
  if (sub === 'list') {
    if (values.account !== undefined || values.keep !== undefined) {
      throw new UsageError('retention list takes no --account or --keep.');
    }
    return withApi(io, values['data-dir'], {}, async (api) => {
      const rules = await unwrap(api.retentionList({}));
      out.result(rules, () =>
        rules.length === 0
          ? ['No retention rules: every recording is kept forever.']
          : table(
              ['SCOPE', 'KEEP', 'SET', 'BY'],
              rules.map((rule) => [
                rule.accountName ?? (rule.accountId === null ? 'global' : String(rule.accountId)),
                rule.label.replace(/^.*: keep /, ''),
                rule.updatedAt.slice(0, 10),
                rule.updatedBy,
              ]),
            ),
      );
      return EXIT_OK;
    });
  }
  throw new UsageError(`Unknown retention command "${sub}". Run "recvault retention --help".`);
}
