import type { AccountView, ProviderName } from '../../../../main/core/contract/types.ts';

export type AccountField =
  'name' | 'baseUrl' | 'host' | 'botId' | 'clientId' | 'organizationId' | 'requestsPerMinute';

export interface FieldSpec {
  key: AccountField | 'secret';
  label: string;
  required: boolean;
  kind: 'text' | 'url' | 'password' | 'number';
  placeholder?: string;
  hint?: string;
}

export const PROVIDER_LABELS: Record<ProviderName, string> = {
  kallglot: 'Kallglot',
  koreai: 'Kore.ai SmartAssist',
  envoy: 'Envoy',
};

const name: FieldSpec = { key: 'name', label: 'Name', required: true, kind: 'text' };

function rateLimit(hint: string): FieldSpec {
  return {
    key: 'requestsPerMinute',
    label: 'Requests per minute',
    required: false,
    kind: 'number',
    hint,
  };
}

/** The fields each provider needs (providers.md), in the order the form shows them. */
export const PROVIDER_FIELDS: Record<ProviderName, FieldSpec[]> = {
  kallglot: [
    name,
    {
      key: 'baseUrl',
      label: 'Base URL',
      required: false,
      kind: 'url',
      placeholder: 'https://api.kallglot.com',
      hint: 'Leave empty for the public API.',
    },
    { key: 'secret', label: 'API key', required: true, kind: 'password', placeholder: 'sk_live_…' },
    rateLimit('Your plan’s API limit: 60 (Starter) or 300 (Pro). Empty: 60.'),
  ],
  koreai: [
    name,
    {
      key: 'host',
      label: 'Host URL',
      required: true,
      kind: 'url',
      placeholder: 'https://bots.kore.ai',
    },
    { key: 'botId', label: 'Bot ID', required: true, kind: 'text', placeholder: 'st-…' },
    { key: 'clientId', label: 'Client ID', required: true, kind: 'text', placeholder: 'cs-…' },
    { key: 'secret', label: 'Client secret', required: true, kind: 'password' },
    rateLimit('Runtime API limit per bot. Empty: 600.'),
  ],
  envoy: [
    name,
    {
      key: 'baseUrl',
      label: 'Base URL',
      required: false,
      kind: 'url',
      placeholder: 'https://tryenvoy.ai/api/v1',
      hint: 'Leave empty for the public API.',
    },
    { key: 'secret', label: 'API key', required: true, kind: 'password' },
    {
      key: 'organizationId',
      label: 'Organization ID',
      required: false,
      kind: 'text',
      hint: 'Only if your token spans several organizations.',
    },
    rateLimit('Your plan’s API limit. Empty: 120.'),
  ],
};

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
  const problems = PROVIDER_FIELDS[provider]
    .filter((field) => field.required && !(editing && field.key === 'secret'))
    .filter((field) => values[field.key].trim() === '')
    .map((field) => `${field.label} is required.`);
  const rate = values.requestsPerMinute.trim();
  if (rate !== '' && !/^[1-9]\d{0,3}$/.test(rate)) {
    problems.push('Requests per minute must be a whole number from 1 to 9999.');
  }
  return problems;
}

/** The fields of this provider, trimmed, empty optional ones as null. */
export function accountFields(
  provider: ProviderName,
  values: FormValues,
): Partial<Record<Exclude<AccountField, 'requestsPerMinute'>, string | null>> & {
  requestsPerMinute?: number | null;
} {
  const result: Partial<Record<AccountField, string | number | null>> = {};
  for (const field of PROVIDER_FIELDS[provider]) {
    if (field.key === 'secret') continue;
    const value = values[field.key].trim();
    if (field.key === 'requestsPerMinute')
      result.requestsPerMinute = value === '' ? null : Number(value);
    else result[field.key] = value === '' ? null : value;
  }
  return result as ReturnType<typeof accountFields>;
}
