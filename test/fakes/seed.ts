// The demo data set of `npm run fake-api` (and any test that wants a realistic account):
// Kallglot sessions covering every state a user meets. Kore.ai and Envoy seed their own
// defaults (`seedDefaults`).
import { dualChannelSession } from './kallglot.ts';
import type { FakeKallglotSessionSeed, KallglotKeyState } from './kallglot.ts';

const DAY = 86400_000;

/** ISO 8601 without milliseconds, the way Kallglot writes timestamps. */
function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Extra keys the demo Kallglot accepts or refuses, for trying the account screens. */
export const KALLGLOT_DEMO_KEYS: Record<string, KallglotKeyState> = {
  sk_test_recvault_expired_key: 'expired',
  sk_test_recvault_no_scope_key: 'no_scope',
  sk_test_recvault_no_credits_key: 'no_credits',
};

export function kallglotDemoSessions(now: number = Date.now()): FakeKallglotSessionSeed[] {
  const withIds = (seed: FakeKallglotSessionSeed, prefix: string): FakeKallglotSessionSeed => ({
    ...seed,
    recordings: seed.recordings.map((r) => ({ ...r, id: `${prefix}_${r.channel}` })),
  });
  return [
    withIds(
      dualChannelSession('sess_demo_0001', { createdAt: iso(now - 2 * DAY) }),
      'rec_demo_0001',
    ),
    // Deleted by retention in two days: the case the app exists for.
    withIds(
      dualChannelSession('sess_demo_0002', {
        createdAt: iso(now - 5 * DAY),
        expiresAt: iso(now + 2 * DAY),
      }),
      'rec_demo_0002',
    ),
    {
      id: 'sess_demo_states',
      recordings: [
        { id: 'rec_demo_processing', channel: 'mixed', status: 'processing' },
        { id: 'rec_demo_failed', channel: 'agent', status: 'failed' },
        { id: 'rec_demo_expired', channel: 'customer', expiresAt: iso(now - DAY) },
      ],
    },
    // The newer docs' form: download_url is the relative /audio path.
    {
      id: 'sess_demo_audio',
      recordings: [{ id: 'rec_demo_audio_mixed', channel: 'mixed', downloadForm: 'audio' }],
    },
    // More recordings than one default page (20), e.g. a call paused and resumed many times.
    {
      id: 'sess_demo_long',
      recordings: Array.from({ length: 24 }, (_, i) => ({
        id: `rec_demo_long_${String(i + 1).padStart(2, '0')}`,
        channel: (['mixed', 'agent', 'customer'] as const)[i % 3] ?? 'mixed',
        createdAt: iso(now - DAY + i * 60_000),
      })),
    },
  ];
}
