import type { AccountView } from '../../core/contract/types.ts';
import type { ProviderKind } from '../../core/providers/types.ts';
import { envVarName, parseCommand, positiveInt, requireString } from '../args.ts';
import type { CliIo } from '../io.ts';
import { openCliEngine, readSecretFromStdin } from '../open-engine.ts';
import { refusedKeyHint } from '../key-hint.ts';
import { Output, table } from '../output.ts';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../usage-error.ts';

export const ACCOUNT_HELP = `Usage:
  recvault account add kallglot --name N [--base-url URL] --api-key-env VAR
  recvault account add koreai --name N --host URL --bot-id ID --client-id ID --client-secret-env VAR
  recvault account add envoy --name N [--base-url URL] --api-key-env VAR [--organization-id ID]
  recvault account list
  recvault account test NAME [--secret-stdin]
  recvault account edit NAME [--name NEW] [--base-url URL] [--host URL] [--bot-id ID]
                             [--client-id ID] [--organization-id ID] [--api-key-env VAR | --client-secret-env VAR]
                             [--requests-per-minute N]
  recvault account remove NAME

Every add and edit also takes --requests-per-minute N: the API limit of your plan, which
Recvault never exceeds (default: the provider's lowest published tier, e.g. Kallglot 60).

Secrets are never given on the command line: name the environment variable that holds the
API key or client secret (the name is stored, never the value), or pipe it with --secret-stdin.
Options: --data-dir DIR, --json, --help`;

const FIELD_OPTIONS = {
  name: { type: 'string' },
  'base-url': { type: 'string' },
  host: { type: 'string' },
  'bot-id': { type: 'string' },
  'client-id': { type: 'string' },
  'organization-id': { type: 'string' },
  'requests-per-minute': { type: 'string' },
  'api-key-env': { type: 'string' },
  'client-secret-env': { type: 'string' },
  // Refused with a clear message: a secret in argv lands in shell history and `ps`.
  'api-key': { type: 'string' },
  'client-secret': { type: 'string' },
} as const;

export async function accountCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    io.stdout.write(`${ACCOUNT_HELP}\n`);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  switch (sub) {
    case 'add':
      return add(rest, io);
    case 'list':
      return list(rest, io);
    case 'test':
      return test(rest, io);
    case 'edit':
      return edit(rest, io);
    case 'remove':
      return remove(rest, io);
    default:
      throw new UsageError(`Unknown account command "${sub}". Run "recvault account --help".`);
  }
}

function refuseInlineSecrets(values: Record<string, unknown>): void {
  if (values['api-key'] !== undefined || values['client-secret'] !== undefined) {
    throw new UsageError(
      'Secrets are never taken on the command line. Put it in an environment variable and pass --api-key-env NAME (or --client-secret-env NAME).',
    );
  }
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS, true);
  if (values.help) return help(io);
  refuseInlineSecrets(values);
  const provider = positionals[0] as ProviderKind | undefined;
  if (provider !== 'kallglot' && provider !== 'koreai' && provider !== 'envoy') {
    throw new UsageError('Name the provider: recvault account add kallglot|koreai|envoy …');
  }
  const name = requireString(values.name, '--name');
  const secretEnv =
    provider === 'koreai'
      ? envVarName(
          requireString(values['client-secret-env'], '--client-secret-env'),
          '--client-secret-env',
        )!
      : envVarName(requireString(values['api-key-env'], '--api-key-env'), '--api-key-env')!;
  if (provider === 'koreai') {
    requireString(values.host, '--host');
    requireString(values['bot-id'], '--bot-id');
    requireString(values['client-id'], '--client-id');
  }
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const view = engine.accounts.add(provider, fields(values, name), { secretEnv });
    out.result(
      view,
      () =>
        `Added ${provider} account "${view.name}" (id ${view.id}); its secret is read from $${secretEnv}.`,
    );
    if (!io.env[secretEnv]) out.note(`Note: ${secretEnv} is not set in this shell yet.`);
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {});
  if (values.help) return help(io);
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const accounts = engine.accounts.list();
    out.result(accounts, () =>
      accounts.length === 0
        ? 'No accounts yet. Add one with "recvault account add".'
        : table(
            ['ID', 'NAME', 'PROVIDER', 'ENDPOINT', 'SECRET', 'ARCHIVED', 'STATUS'],
            accounts.map((a) => [
              String(a.id),
              a.name,
              a.provider,
              a.baseUrl ?? a.host ?? '',
              a.secretSource === 'env' ? `$${a.secretEnv}` : 'encrypted (app)',
              `${a.archivedCount}/${a.recordingCount}`,
              a.authError ? `key refused: ${a.authError}` : 'ok',
            ]),
          ),
    );
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

async function test(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { 'secret-stdin': { type: 'boolean', default: false } },
    true,
  );
  if (values.help) return help(io);
  const name = requireString(positionals[0], 'The account name');
  const secretOverride = values['secret-stdin'] ? await readSecretFromStdin(io) : null;
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir'], { secretOverride });
  try {
    const account = engine.accounts.findByName(name);
    const result = await engine.accounts.test(account.id);
    out.result(
      { account: account.name, ...result },
      () => `${result.ok ? 'OK' : 'FAILED'}: ${result.message}`,
    );
    if (!result.ok) {
      const view = engine.accounts.list().find((a) => a.id === account.id);
      if (view?.authError) io.stderr.write(`${refusedKeyHint(view)}\n`);
    }
    return result.ok ? EXIT_OK : EXIT_USAGE;
  } finally {
    await engine.close();
  }
}

async function edit(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS, true);
  if (values.help) return help(io);
  refuseInlineSecrets(values);
  const name = requireString(positionals[0], 'The account name');
  const secretEnv =
    envVarName(values['api-key-env'], '--api-key-env') ??
    envVarName(values['client-secret-env'], '--client-secret-env');
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const account = engine.accounts.findByName(name);
    const view: AccountView = engine.accounts.update(
      account.id,
      fields(values, values.name),
      secretEnv ? { secretEnv } : null,
    );
    out.result(view, () => `Updated account "${view.name}".`);
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {}, true);
  if (values.help) return help(io);
  const name = requireString(positionals[0], 'The account name');
  const out = new Output(io, values.json);
  const engine = await openCliEngine(io, values['data-dir']);
  try {
    const account = engine.accounts.findByName(name);
    engine.accounts.remove(account.id);
    out.result(
      { removed: account.name },
      () => `Removed account "${account.name}"; its archived recordings stay in the archive.`,
    );
    return EXIT_OK;
  } finally {
    await engine.close();
  }
}

function fields(values: Record<string, string | boolean | undefined>, name: string | undefined) {
  const str = (key: string) =>
    typeof values[key] === 'string' ? (values[key] as string) : undefined;
  return {
    ...(name === undefined ? {} : { name }),
    ...(str('base-url') === undefined ? {} : { baseUrl: str('base-url') }),
    ...(str('host') === undefined ? {} : { host: str('host') }),
    ...(str('bot-id') === undefined ? {} : { botId: str('bot-id') }),
    ...(str('client-id') === undefined ? {} : { clientId: str('client-id') }),
    ...(str('organization-id') === undefined ? {} : { organizationId: str('organization-id') }),
    ...(str('requests-per-minute') === undefined
      ? {}
      : { requestsPerMinute: positiveInt(str('requests-per-minute'), '--requests-per-minute') }),
  } as {
    name: string;
    baseUrl?: string;
    host?: string;
    botId?: string;
    clientId?: string;
    organizationId?: string;
    requestsPerMinute?: number;
  };
}

function help(io: CliIo): number {
  io.stdout.write(`${ACCOUNT_HELP}\n`);
  return EXIT_OK;
}
