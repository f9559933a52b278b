import { describe, expect, it } from 'vitest';
import { parseIds } from '../../../main/core/sync/parse-ids.ts';

describe('parseIds', () => {
  it('reads one id per line, skipping blanks, comments and duplicates', () => {
    const result = parseIds('sess_1\n\n# exported 2026-11-01\r\nsess_2\nsess_1\n');
    expect(result.rows.map((r) => r.id)).toEqual(['sess_1', 'sess_2']);
    expect(result.rows.map((r) => r.line)).toEqual([1, 4]);
    expect(result.errors).toEqual([]);
  });

  it('reads the named column of a CSV with quotes and a BOM', () => {
    const csv =
      '\uFEFFdate,call_id,notes\n2026-01-02,call_aa,"hello, world"\n2026-01-03,"call_bb",x\n';
    expect(parseIds(csv).rows.map((r) => r.id)).toEqual(['call_aa', 'call_bb']);
  });

  it('pairs Kore.ai sessions with their user ids', () => {
    const csv = 'session_id;user_id\ns-1;u-1@example.com\ns-2;\n';
    const result = parseIds(csv, { wantUserId: true });
    expect(result.rows).toEqual([{ line: 2, id: 's-1', userId: 'u-1@example.com' }]);
    expect(result.errors).toEqual([
      { line: 3, message: 'No user id for session s-2 (Kore.ai needs one).' },
    ]);
  });

  it('gives a line-numbered reason for every bad row', () => {
    const result = parseIds('sess_ok\nnot an id\n../../etc/passwd\n');
    expect(result.rows.map((r) => r.id)).toEqual(['sess_ok']);
    expect(result.errors.map((e) => e.line)).toEqual([2, 3]);
    expect(result.errors[0]!.message).toContain('"not an id" is not an id');
  });

  it('refuses a CSV whose header names no id column', () => {
    const result = parseIds('Date,Caller Name\n2026-01-01,Ann\n');
    expect(result.rows).toEqual([]);
    expect(result.errors[0]).toMatchObject({ line: 1 });
  });
});
