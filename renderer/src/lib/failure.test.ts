import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../main/core/contract/result.ts';
import { describeFailure } from './failure.ts';

const fail = (code: ErrorCode, message: string) => ({ ok: false as const, code, message });

describe('describeFailure', () => {
  it('says a schema refusal as a sentence naming the field the way the form does', () => {
    const message = describeFailure(
      fail('invalid_arguments', 'Invalid arguments for accountsAdd: ✖ Invalid URL\n  → at host'),
    );
    expect(message).toBe('Not saved: Host URL: Invalid URL.');
    expect(message).not.toMatch(/accountsAdd|✖|→/);
  });

  it('never names the channel of an unexpected failure', () => {
    const message = describeFailure(fail('internal', 'settingsUpdate failed unexpectedly.'));
    expect(message).not.toContain('settingsUpdate');
    expect(message).toMatch(/^Something went wrong inside Recvault\./);
  });

  it("keeps the engine's own plain messages as they are", () => {
    expect(describeFailure(fail('conflict', 'The folder is not empty.'))).toBe(
      'The folder is not empty.',
    );
  });
});
