// The tag filter's choices: every tag in the library with its count, spellings that differ in
// case as one (search matches them alike).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setTags, upsertDiscovered } from '../../../main/core/db/recordings.ts';
import type { Db } from '../../../main/core/db/sqlite.ts';
import { listTags } from '../../../main/core/db/search/tag-list.ts';
import { searchRecordings } from '../../../main/core/db/search/search-recordings.ts';
import { kallglotAccount, kallglotRecording, tempIndex } from '../../support/index-fixtures.ts';

let db: Db;
let cleanup: () => void;
beforeEach(() => ({ db, cleanup } = tempIndex()));
afterEach(() => cleanup());

describe('listTags', () => {
  it('counts each tag once per recording, most used first, any case as one', () => {
    const account = kallglotAccount(db);
    const add = (remoteId: string, tags: string[]) => {
      const id = upsertDiscovered(db, account, kallglotRecording({ remoteId })).recording.id;
      setTags(db, id, tags);
    };
    add('r1', ['Fraud', 'vip']);
    add('r2', ['fraud']);
    add('r3', ['escalated', 'FRAUD']);
    add('r4', []);
    const tags = listTags(db);
    expect(tags.map((t) => [t.tag.toLowerCase(), t.count])).toEqual([
      ['fraud', 3],
      ['escalated', 1],
      ['vip', 1],
    ]);
    // The filter finds exactly the recordings the count promised.
    const found = searchRecordings(db, { tags: ['fraud'] }).rows.map((r) => r.remoteId);
    expect(found.sort()).toEqual(['r1', 'r2', 'r3']);
  });

  it('is empty for a library without tags', () => {
    expect(listTags(db)).toEqual([]);
  });
});
