import {
  PROVIDER_CAPABILITIES,
  capabilitiesOf,
  type AccountSettingField,
} from '../../core/contract/providers.ts';
import type { AccountView } from '../../core/contract/types.ts';
import { PROVIDER_NAMES, type ProviderName } from '../../core/contract/vocabulary.ts';
import { envVarName, parseCommand, positiveInt, requireString } from '../args.ts';
import { readSecretFromStdin, type CliIo } from '../io.ts';
import { hintIfKeyRefused } from '../key-hint.ts';
import { withApi } from '../open-engine.ts';
import { Output, printHelp, table } from '../output.ts';
import { unwrap } from '../refusal.ts';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../usage-error.ts';

/** Every account setting some provider takes, in the order the providers list them. */
const SETTING_FIELDS: readonly AccountSettingField[] = [
  ...new Set(
    PROVIDER_NAMES.flatMap((p) => [
      ...PROVIDER_CAPABILITIES[p].requiredFields,
      ...PROVIDER_CAPABILITIES[p].optionalFields,
    ]),
  ),
];

/** `baseUrl` → `base-url`: the flag that sets an account setting. */
function settingFlag(field: AccountSettingField): string {
  return field.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** `--base-url URL`, `--bot-id ID`: a setting's flag with what its value is. */
function settingUsage(field: AccountSettingField): string {
  return `--${settingFlag(field)} ${/Url$|^host$/.test(field) ? 'URL' : 'ID'}`;
}

/** `--api-key-env`, `--client-secret-env`: named after what the provider calls its secret. */
function secretFlag(provider: ProviderName): string {
  return `${capabilitiesOf(provider).secretLabel.toLowerCase().replace(/ /g, '-')}-env`;
}
const SECRET_FLAGS = [...new Set(PROVIDER_NAMES.map(secretFlag))];

function addUsage(provider: ProviderName): string {
  const { requiredFields, optionalFields } = capabilitiesOf(provider);
  return [
    `recvault account add ${provider} --name N`,
    ...requiredFields.map(settingUsage),
    ...optionalFields.map((field) => `[${settingUsage(field)}]`),
    `--${secretFlag(provider)} VAR`,
  ].join(' ');
}

const EDIT_INDENT = ' '.repeat('  recvault account edit NAME '.length);
const DEFAULT_LIMITS = PROVIDER_NAMES.map(
  (p) => `${PROVIDER_CAPABILITIES[p].label} ${PROVIDER_CAPABILITIES[p].defaultRequestsPerMinute}`,
).join(', ');

export const ACCOUNT_HELP = `Usage:
${PROVIDER_NAMES.map((p) => `  ${addUsage(p)}`).join('\n')}
  recvault account list
  recvault account test NAME [--secret-stdin]
  recvault account edit NAME [--name NEW] ${SETTING_FIELDS.slice(0, 3)
    .map((f) => `[${settingUsage(f)}]`)
    .join(' ')}
${EDIT_INDENT}${SETTING_FIELDS.slice(3)
  .map((f) => `[${settingUsage(f)}]`)
  .join(' ')} [${SECRET_FLAGS.map((flag) => `--${flag} VAR`).join(' | ')}]
${EDIT_INDENT}[--requests-per-minute N]
  recvault account remove NAME

Every add and edit also takes --requests-per-minute N: the API limit of your plan, which
Recvault never exceeds. Without it Recvault follows the limit the server advertises in its
replies, starting at the provider's lowest published tier (${DEFAULT_LIMITS}).

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

type FieldValues = Record<string, string | boolean | undefined>;

const SUBCOMMANDS = { add, list, test, edit, remove } satisfies Record<
  string,
  (argv: string[], io: CliIo) => Promise<number>
>;

export async function accountCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h') {
    printHelp(io, ACCOUNT_HELP);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (!Object.hasOwn(SUBCOMMANDS, sub)) {
    throw new UsageError(`Unknown account command "${sub}". Run "recvault account --help".`);
  }
  return SUBCOMMANDS[sub as keyof typeof SUBCOMMANDS](rest, io);
}

function refuseInlineSecrets(values: FieldValues): void {
  if (values['api-key'] !== undefined || values['client-secret'] !== undefined) {
    throw new UsageError(
      'Secrets are never taken on the command line. Put it in an environment variable and pass --api-key-env NAME (or --client-secret-env NAME).',
    );
  }
}

/** The secret's environment variable named by `--<flag>`, refused unless it is a NAME. */
function envVarFlag(values: FieldValues, flag: string): string | undefined {
  const value = values[flag];
  return envVarName(typeof value === 'string' ? value : undefined, `--${flag}`);
}

async function add(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS, true);
  if (values.help) return printHelp(io, ACCOUNT_HELP);
  refuseInlineSecrets(values);
  const provider = PROVIDER_NAMES.find((p) => p === positionals[0]);
  if (provider === undefined) {
    throw new UsageError(`Name the provider: recvault account add ${PROVIDER_NAMES.join('|')} …`);
  }
  const name = requireString(values.name, '--name');
  const given: FieldValues = values;
  const flag = secretFlag(provider);
  requireString(given[flag], `--${flag}`);
  const secretEnv = envVarFlag(given, flag)!;
  for (const field of capabilitiesOf(provider).requiredFields) {
    requireString(given[settingFlag(field)], `--${settingFlag(field)}`);
  }
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const view = await unwrap(
      api.accountsAddWithEnvSecret({ provider, ...fields(values), name, secretEnv }),
    );
    out.result(
      view,
      () =>
        `Added ${provider} account "${view.name}" (id ${view.id}); its secret is read from $${secretEnv}.`,
    );
    if (!io.env[secretEnv]) out.note(`Note: ${secretEnv} is not set in this shell yet.`);
    return EXIT_OK;
  });
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCommand(argv, {});
  if (values.help) return printHelp(io, ACCOUNT_HELP);
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const accounts = await unwrap(api.accountsList({}));
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
  });
}

async function test(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { 'secret-stdin': { type: 'boolean', default: false } },
    true,
  );
  if (values.help) return printHelp(io, ACCOUNT_HELP);
  const name = requireString(positionals[0], 'The account name');
  const secretOverride = values['secret-stdin']
    ? { accountName: name, secret: await readSecretFromStdin(io) }
    : null;
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], { secretOverride }, async (api) => {
    const account = await unwrap(api.accountByName({ name }));
    const result = await unwrap(api.accountsTest({ id: account.id }));
    out.result(
      { account: account.name, ...result },
      () => `${result.ok ? 'OK' : 'FAILED'}: ${result.message}`,
    );
    if (!result.ok) await hintIfKeyRefused(api, io, account.name);
    return result.ok ? EXIT_OK : EXIT_USAGE;
  });
}

async function edit(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, FIELD_OPTIONS, true);
  if (values.help) return printHelp(io, ACCOUNT_HELP);
  refuseInlineSecrets(values);
  const name = requireString(positionals[0], 'The account name');
  const secretEnv = SECRET_FLAGS.map((flag) => envVarFlag(values, flag)).find(Boolean);
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const account = await unwrap(api.accountByName({ name }));
    const view: AccountView = await unwrap(
      api.accountsUpdateWithEnvSecret({
        id: account.id,
        ...fields(values),
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(secretEnv ? { secretEnv } : {}),
      }),
    );
    out.result(view, () => `Updated account "${view.name}".`);
    return EXIT_OK;
  });
}

async function remove(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand(argv, {}, true);
  if (values.help) return printHelp(io, ACCOUNT_HELP);
  const name = requireString(positionals[0], 'The account name');
  const out = new Output(io, values.json);
  return withApi(io, values['data-dir'], {}, async (api) => {
    const account = await unwrap(api.accountByName({ name }));
    await unwrap(api.accountsRemove({ id: account.id }));
    out.result(
      { removed: account.name },
      () => `Removed account "${account.name}"; its archived recordings stay in the archive.`,
    );
    return EXIT_OK;
  });
}

/** The settings the flags give (only those given), and the plan's API limit. */
function fields(values: FieldValues): Partial<Record<AccountSettingField, string>> & {
  requestsPerMinute?: number;
} {
  const given: Partial<Record<AccountSettingField, string>> & { requestsPerMinute?: number } = {};
  for (const field of SETTING_FIELDS) {
    const value = values[settingFlag(field)];
    if (typeof value === 'string') given[field] = value;
  }
  const limit = values['requests-per-minute'];
  if (typeof limit === 'string') {
    given.requestsPerMinute = positiveInt(limit, '--requests-per-minute');
  }
  return given;
}
