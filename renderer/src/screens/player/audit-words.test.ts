import { describe, expect, it } from 'vitest';
import { auditWhat, auditWho } from './audit-words.ts';

describe('an audit entry in words', () => {
  it('names the provider, the account and the job of an archiving', () => {
    expect(
      auditWhat('recording.archived', { provider: 'kallglot', account: 'Main', job: 12 }),
    ).toBe('Archived from Kallglot Main by job 12');
    expect(auditWhat('recording.archived', {})).toBe('Archived');
    expect(auditWhat('recording.tags_changed', { job: 3 })).toBe('Tags changed');
    expect(auditWhat('something.new', {})).toBe('something.new');
  });

  it('names the OS user, and says what older role words meant', () => {
    expect(auditWho('alice')).toBe('alice');
    expect(auditWho('user')).toMatch(/^the person at the app/);
    expect(auditWho('cli')).toMatch(/^the command line/);
  });
});
