import { z } from 'zod';

// Non-secret account settings as stored in accounts.config_json. Strict objects: an unknown
// key is refused rather than stored, so a caller cannot slip an API key or client secret into
// the index by passing the whole provider config.

/** Name of the environment variable the CLI reads the secret from (the name, never the value). */
const envVarName = z
  .string()
  .regex(/^[A-Z_][A-Z0-9_]{0,127}$/, 'an environment variable name such as RECVAULT_KALLGLOT_KEY');

/** The account's API rate limit (the plan's requests per minute); null: the provider default. */
const requestsPerMinute = z.number().int().min(1).max(10_000).nullish();

// http is allowed for the local provider fakes used in development and tests.
const httpUrl = z.url({ protocol: /^https?$/ });

export const kallglotSettingsSchema = z.strictObject({
  baseUrl: httpUrl,
  secretEnvVar: envVarName.nullish(),
  requestsPerMinute,
});

export const koreaiSettingsSchema = z.strictObject({
  // The seed's "environment URL" (https://platform.kore.ai) or a bare host name.
  host: z
    .string()
    .max(300)
    .regex(
      /^(https?:\/\/)?[A-Za-z0-9.-]+(:\d{1,5})?\/?$/,
      'a host such as platform.kore.ai or https://platform.kore.ai',
    ),
  botId: z.string().min(1).max(200),
  clientId: z.string().min(1).max(200),
  secretEnvVar: envVarName.nullish(),
  requestsPerMinute,
});

export const envoySettingsSchema = z.strictObject({
  baseUrl: httpUrl,
  organizationId: z.string().min(1).max(200).nullish(),
  secretEnvVar: envVarName.nullish(),
  requestsPerMinute,
});

export const accountSettingsSchema = z.discriminatedUnion('provider', [
  z.strictObject({ provider: z.literal('kallglot'), settings: kallglotSettingsSchema }),
  z.strictObject({ provider: z.literal('koreai'), settings: koreaiSettingsSchema }),
  z.strictObject({ provider: z.literal('envoy'), settings: envoySettingsSchema }),
]);

export type KallglotSettings = z.infer<typeof kallglotSettingsSchema>;
export type KoreaiSettings = z.infer<typeof koreaiSettingsSchema>;
export type EnvoySettings = z.infer<typeof envoySettingsSchema>;
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/**
 * Where the credential lives, e.g. "safe-storage:account-3" or "env:RECVAULT_ENVOY_TOKEN".
 * A short, shape-checked handle: it cannot hold a JWT secret or a long API key by accident.
 */
export const secretRefSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}:[A-Za-z0-9_.-]{1,64}$/, 'a secret reference such as env:NAME');
