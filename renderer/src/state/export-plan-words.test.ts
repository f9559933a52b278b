import { describe, expect, it } from 'vitest';
import { planDetails, planHeadline } from './export-plan-words.ts';

const plan = {
  selected: 38,
  archived: 35,
  notArchived: 3,
  files: 50,
  split: 15,
  byExtension: { mp3: 50 },
  sampleNames: [],
};

describe('the export plan in words', () => {
  it('says recordings in and files out, the splits, the formats and the rows left out', () => {
    expect(planHeadline(plan)).toBe('35 recordings → 50 files');
    expect(planDetails(plan)).toEqual([
      '15 recordings are split into an agent file and a customer file.',
      'Files: 50 .mp3, plus manifest.csv, manifest.json and SHA256SUMS.',
      '3 of the 38 selected are not archived yet and cannot be exported.',
    ]);
  });

  it('says so when nothing selected is archived', () => {
    const none = { ...plan, archived: 0, files: 0, split: 0, byExtension: {}, notArchived: 38 };
    expect(planHeadline(none)).toBe('0 recordings → 0 files');
    expect(planDetails(none)).toEqual([
      'Nothing to export: none of the selected recordings is archived yet.',
    ]);
  });

  it('speaks of one recording and one file in the singular', () => {
    const one = { ...plan, selected: 1, archived: 1, notArchived: 0, files: 2, split: 1 };
    expect(planHeadline(one)).toBe('1 recording → 2 files');
    expect(planDetails(one)[0]).toBe(
      '1 recording is split into an agent file and a customer file.',
    );
  });
});
