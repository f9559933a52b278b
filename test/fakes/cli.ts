// `npm run fake-api`: the three provider fakes and the shared storage host on 127.0.0.1, seeded
// with demo data, until Ctrl-C. Runs with plain `node` (type stripping).
import { createFakeStorage } from './storage.ts';
import { startFakeEnvoy } from './envoy.ts';
import { KALLGLOT_PRO_PER_MINUTE, startFakeKallglot } from './kallglot.ts';
import { startFakeKoreai } from './koreai.ts';
import { KALLGLOT_DEMO_KEYS, kallglotDemoSessions } from './seed.ts';

const storage = await createFakeStorage();
const kallglot = await startFakeKallglot({
  storage,
  // Many CLI processes share this fake within a minute; each paces itself, not the others.
  rateLimitPerMinute: KALLGLOT_PRO_PER_MINUTE,
  sessions: kallglotDemoSessions(),
  keys: KALLGLOT_DEMO_KEYS,
});
const koreai = await startFakeKoreai({ storage });
const envoy = await startFakeEnvoy({ storage });

const lines = [
  'Recvault fake provider APIs (127.0.0.1 only). Ctrl-C to stop.',
  '',
  `Storage host:   ${storage.baseUrl}`,
  '',
  'Kallglot',
  `  baseUrl       ${kallglot.baseUrl}`,
  `  apiKey        ${kallglot.apiKey}`,
  ...Object.entries(KALLGLOT_DEMO_KEYS).map(([key, state]) => `  ${state.padEnd(13)} ${key}`),
  `  sessions      ${[...kallglot.sessions.keys()].join(', ')}`,
  '',
  'Kore.ai SmartAssist',
  `  host          ${koreai.baseUrl}`,
  `  botId         ${koreai.botId}`,
  `  clientId      ${koreai.clientId}`,
  `  clientSecret  ${koreai.clientSecret}`,
  `  sessions      ${[...koreai.sessions.values()].map((s) => `${s.sessionId} (user ${s.userId})`).join(', ')}`,
  '',
  'Envoy',
  `  baseUrl       ${envoy.baseUrl}`,
  `  apiKey        ${envoy.apiKey}`,
  `  organization  ${envoy.organizationId}`,
  `  calls         ${[...envoy.calls.keys()].join(', ')}`,
];
console.log(lines.join('\n'));

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([kallglot.close(), koreai.close(), envoy.close()]);
  await storage.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
