// The account card's line on pacing: which request limit the app keeps to and who set it,
// so a user who wonders why a sync is slow sees whether their own setting is the brake.
import type { RateLimitInForce } from '../../../../main/core/contract/types.ts';

const SOURCE_WORDS: Record<RateLimitInForce['source'], string> = {
  user: 'your limit',
  server: 'advertised by the server',
  provider: "the provider's lowest published tier, until the server advertises its own",
};

export function rateLimitWords(limit: RateLimitInForce): string {
  return `Paced to ${limit.requestsPerMinute} requests a minute: ${SOURCE_WORDS[limit.source]}.`;
}
