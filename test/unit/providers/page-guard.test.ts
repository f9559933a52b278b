// Every provider's listing stops on a page that brings nothing new, and after the page cap.
import { describe, expect, it } from 'vitest';
import { pageGuard } from '../../../main/core/providers/page-guard.ts';

describe('pageGuard', () => {
  it('lets pages with something new through, and an empty last page', () => {
    const guard = pageGuard('envoy', '/calls', 5);
    guard.afterPage(10, 10);
    guard.afterPage(10, 1);
    guard.afterPage(0, 0);
  });

  it('stops a listing on a full page of nothing new', () => {
    const guard = pageGuard('koreai', '/getSessions');
    guard.afterPage(100, 100);
    expect(() => guard.afterPage(100, 0)).toThrow(
      expect.objectContaining({
        kind: 'invalid_response',
        message: expect.stringMatching(/nothing new/),
      }),
    );
  });

  it('stops a listing that never ends at the page cap', () => {
    const guard = pageGuard('kallglot', '/v1/sessions/{id}/recordings', 3);
    guard.afterPage(1, 1);
    guard.afterPage(1, 1);
    expect(() => guard.afterPage(1, 1)).toThrow(/more than 3 pages/);
  });
});
