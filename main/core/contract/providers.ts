// What each provider can do and what an account of it needs, as one table (providers.md).
// The account form, the sync form, the CLI and the job spec read it instead of asking
// `provider === '…'`. Zod-free plain data, importable by the renderer.
import type { ProviderName } from './vocabulary.ts';

/** The kinds of id a sync can be given: the `syncStart` fields `sessions`, `recordingIds`, `callIds`. */
export type IdKind = 'sessions' | 'recordings' | 'calls';

/** Account settings besides the name and the secret (`accountsAdd` fields). */
export type AccountSettingField = 'baseUrl' | 'host' | 'botId' | 'clientId' | 'organizationId';

export interface ProviderCapabilities {
  /** The provider's product name, as the account form shows it. */
  label: string;
  /** The short name a sentence uses ("Kore.ai needs …"). */
  name: string;
  /** Which ids a sync may name, in the order forms and help text list them. */
  idKinds: readonly IdKind[];
  /** Whether recordings can be discovered by a date range. */
  dateRange: boolean;
  /** Whether a session needs the user id it belongs to (and a range may filter by one). */
  userId: boolean;
  /** Whether a date range may filter by the provider's call status (e.g. COMPLETED). */
  statusFilter: boolean;
  /** Settings an account must have, beside its name and secret. */
  requiredFields: readonly AccountSettingField[];
  /** Settings an account may have. */
  optionalFields: readonly AccountSettingField[];
  /** What the secret is called at this provider. */
  secretLabel: string;
  /** The provider's lowest published API limit, used when an account sets none. */
  defaultRequestsPerMinute: number;
  /** The public API, used when the account gives no base URL; null when there is none. */
  defaultBaseUrl: string | null;
}

export const PROVIDER_CAPABILITIES = {
  kallglot: {
    label: 'Kallglot',
    name: 'Kallglot',
    idKinds: ['sessions', 'recordings'],
    dateRange: false,
    userId: false,
    statusFilter: false,
    requiredFields: [],
    optionalFields: ['baseUrl'],
    secretLabel: 'API key',
    defaultRequestsPerMinute: 60,
    defaultBaseUrl: 'https://api.kallglot.com',
  },
  koreai: {
    label: 'Kore.ai SmartAssist',
    name: 'Kore.ai',
    idKinds: ['sessions'],
    dateRange: true,
    userId: true,
    statusFilter: false,
    requiredFields: ['host', 'botId', 'clientId'],
    optionalFields: [],
    secretLabel: 'Client secret',
    defaultRequestsPerMinute: 600,
    defaultBaseUrl: null,
  },
  envoy: {
    label: 'Envoy',
    name: 'Envoy',
    idKinds: ['calls'],
    dateRange: true,
    userId: false,
    statusFilter: true,
    requiredFields: [],
    optionalFields: ['baseUrl', 'organizationId'],
    secretLabel: 'API key',
    defaultRequestsPerMinute: 120,
    defaultBaseUrl: 'https://tryenvoy.ai/api/v1',
  },
} as const satisfies Record<ProviderName, ProviderCapabilities>;

export function capabilitiesOf(provider: ProviderName): ProviderCapabilities {
  return PROVIDER_CAPABILITIES[provider];
}

/** One id of each kind, as a sentence names it. */
export const ID_KIND_WORDS: Record<IdKind, string> = {
  sessions: 'session',
  recordings: 'recording',
  calls: 'call',
};

/** The ids a provider takes, in words: "session or recording". */
export function idKindWords(provider: ProviderName): string {
  return orList(PROVIDER_CAPABILITIES[provider].idKinds.map((kind) => ID_KIND_WORDS[kind]));
}

/** How a provider's recordings are found, e.g. "call id or by date range" (Envoy). */
export function waysToFind(provider: ProviderName): string {
  const caps: ProviderCapabilities = PROVIDER_CAPABILITIES[provider];
  const ids = caps.idKinds.map(
    (kind) =>
      `${ID_KIND_WORDS[kind]} id${kind === 'sessions' && caps.userId ? ' and user id' : ''}`,
  );
  return orList([...ids, ...(caps.dateRange ? ['by date range'] : [])]);
}

/** `a, b or c`: words a sentence offers as choices. */
export function orList(words: readonly string[]): string {
  return words.length < 2
    ? (words[0] ?? '')
    : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

/**
 * Which kind of id an imported or typed id is: the only kind the provider takes, or, where it
 * takes both sessions and recordings (Kallglot), what the id says (rec_… is one recording).
 */
export function idKindOf(provider: ProviderName, id: string): IdKind {
  const kinds: readonly IdKind[] = PROVIDER_CAPABILITIES[provider].idKinds;
  if (kinds.length === 1) return kinds[0]!;
  return kinds.includes('recordings') && id.startsWith('rec_') ? 'recordings' : 'sessions';
}

/** The default base URL of each provider that has one. */
export const DEFAULT_BASE_URLS = {
  kallglot: PROVIDER_CAPABILITIES.kallglot.defaultBaseUrl,
  envoy: PROVIDER_CAPABILITIES.envoy.defaultBaseUrl,
} as const;
