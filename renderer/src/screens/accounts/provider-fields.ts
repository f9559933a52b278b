import {
  PROVIDER_CAPABILITIES,
  type AccountSettingField,
} from '../../../../main/core/contract/providers.ts';
import type { AccountView } from '../../../../main/core/contract/types.ts';
import type { ProviderName } from '../../../../main/core/contract/vocabulary.ts';

export type AccountField = 'name' | AccountSettingField | 'requestsPerMinute';

export interface FieldSpec {
  key: AccountField | 'secret';
  label: string;
  required: boolean;
  kind: 'text' | 'url' | 'password' | 'number';
  placeholder?: string;
  hint?: string;
}

/** The provider's product name, as the app shows it. */
export function providerLabel(provider: ProviderName): string {
  return PROVIDER_CAPABILITIES[provider].label;
}

/** How each setting is asked for, in the order the form shows them. */
const SETTING_FIELDS: Record<AccountSettingField, Omit<FieldSpec, 'key' | 'required'>> = {
  baseUrl: { label: 'Base URL', kind: 'url' },
  host: { label: 'Host URL', kind: 'url', placeholder: 'https://bots.kore.ai' },
  botId: { label: 'Bot ID', kind: 'text', placeholder: 'st-…' },
  clientId: { label: 'Client ID', kind: 'text', placeholder: 'cs-…' },
  organizationId: {
    label: 'Organization ID',
    kind: 'text',
    hint: 'Only if your token spans several organizations.',
  },
};
/** Settings that refine an account rather than reach it: shown after the secret. */
const AFTER_SECRET: readonly AccountSettingField[] = ['organizationId'];

/** What the provider's plans allow, before "Empty: the server's advertised limit …". */
const RATE_LIMIT_NOTES: Record<ProviderName, string> = {
  kallglot: 'Your plan’s API limit: 60 (Starter) or 300 (Pro).',
  koreai: 'Runtime API limit per bot.',
  envoy: 'Your plan’s API limit.',
};
const SECRET_PLACEHOLDERS: Partial<Record<ProviderName, string>> = { kallglot: 'sk_live_…' };

/** The fields a provider needs (its capability table), in the order the form shows them. */
export function providerFields(provider: ProviderName): FieldSpec[] {
  const capabilities = PROVIDER_CAPABILITIES[provider];
  const settings = (Object.keys(SETTING_FIELDS) as AccountSettingField[]).flatMap(
    (key): FieldSpec[] => {
      const required = capabilities.requiredFields.some((field) => field === key);
      const optional = capabilities.optionalFields.some((field) => field === key);
      if (!required && !optional) return [];
      const spec: FieldSpec = { key, required, ...SETTING_FIELDS[key] };
      if (key === 'baseUrl' && capabilities.defaultBaseUrl !== null) {
        spec.placeholder = capabilities.defaultBaseUrl;
        spec.hint = 'Leave empty for the public API.';
      }
      return [spec];
    },
  );
  const placeholder = SECRET_PLACEHOLDERS[provider];
  const secret: FieldSpec = {
    key: 'secret',
    label: capabilities.secretLabel,
    required: true,
    kind: 'password',
    ...(placeholder ? { placeholder } : {}),
  };
  const after = (field: FieldSpec) => AFTER_SECRET.some((key) => key === field.key);
  return [
    { key: 'name', label: 'Name', required: true, kind: 'text' },
    ...settings.filter((field) => !after(field)),
    secret,
    ...settings.filter(after),
    {
      key: 'requestsPerMinute',
      label: 'Requests per minute',
      required: false,
      kind: 'number',
      hint: `${RATE_LIMIT_NOTES[provider]} Empty: the server's advertised limit (${capabilities.defaultRequestsPerMinute} until it says).`,
    },
  ];
}

export type FormValues = Record<AccountField | 'secret', string>;

export function initialValues(account?: AccountView): FormValues {
  return {
    name: account?.name ?? '',
    baseUrl: account?.baseUrl ?? '',
    host: account?.host ?? '',
    botId: account?.botId ?? '',
    clientId: account?.clientId ?? '',
    organizationId: account?.organizationId ?? '',
    requestsPerMinute: account?.requestsPerMinute ? String(account.requestsPerMinute) : '',
    // Secrets are never sent back to the renderer: editing starts from an empty field.
    secret: '',
  };
}

/** What is missing or wrong, in words; when editing, an empty secret keeps the stored one. */
export function missingFields(
  provider: ProviderName,
  values: FormValues,
  editing: boolean,
): string[] {
  const problems = providerFields(provider)
    .filter((field) => field.required && !(editing && field.key === 'secret'))
    .filter((field) => values[field.key].trim() === '')
    .map((field) => `${field.label} is required.`);
  // A web address the engine would refuse, said here with the field's own name.
  for (const field of providerFields(provider)) {
    const value = values[field.key].trim();
    if (field.kind === 'url' && value !== '' && !isWebAddress(value)) {
      problems.push(
        `The ${field.label} "${value}" is not a web address: write it in full, like ${
          field.placeholder ?? 'https://api.example.com'
        }.`,
      );
    }
  }
  const rate = values.requestsPerMinute.trim();
  if (rate !== '' && !/^[1-9]\d{0,3}$/.test(rate)) {
    problems.push('Requests per minute must be a whole number from 1 to 9999.');
  }
  return problems;
}

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The fields of this provider, trimmed, empty optional ones as null. */
export function accountFields(
  provider: ProviderName,
  values: FormValues,
): Partial<Record<Exclude<AccountField, 'requestsPerMinute'>, string | null>> & {
  requestsPerMinute?: number | null;
} {
  const result: Partial<Record<AccountField, string | number | null>> = {};
  for (const field of providerFields(provider)) {
    if (field.key === 'secret') continue;
    const value = values[field.key].trim();
    if (field.key === 'requestsPerMinute')
      result.requestsPerMinute = value === '' ? null : Number(value);
    else result[field.key] = value === '' ? null : value;
  }
  return result as ReturnType<typeof accountFields>;
}
