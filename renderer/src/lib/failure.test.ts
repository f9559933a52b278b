import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../main/core/contract/result.ts';
import { describeFailure, failureParts } from './failure.ts';

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

describe('failureParts', () => {
  it('shows the sentences and keeps the technical details apart, one reason a line', () => {
    const stored = [
      'Kallglot has no session sess_x (it may have been deleted, or the id is mistyped). Check the id, then retry. Details: resource_missing; HTTP 404 from /v1/sessions/sess_x/recordings.',
      'Kallglot rejected the API key.',
    ].join('\n');
    expect(failureParts(stored)).toEqual({
      text: 'Kallglot has no session sess_x (it may have been deleted, or the id is mistyped). Check the id, then retry.\nKallglot rejected the API key.',
      details: ['resource_missing; HTTP 404 from /v1/sessions/sess_x/recordings'],
    });
  });
});
