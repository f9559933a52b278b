// The export dialog's "what will be made", in words, from the engine's plan (exportPlan).
import type { ExportPlanView } from '../../../main/core/contract/types.ts';

const count = (n: number, one: string, many: string): string =>
  `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** "35 recordings → 50 files". */
export function planHeadline(plan: ExportPlanView): string {
  return `${count(plan.archived, 'recording', 'recordings')} → ${count(plan.files, 'file', 'files')}`;
}

/** The lines under the headline: splits, formats, and what is left out and why. */
export function planDetails(plan: ExportPlanView): string[] {
  const lines: string[] = [];
  if (plan.archived === 0) {
    lines.push('Nothing to export: none of the selected recordings is archived yet.');
    return lines;
  }
  if (plan.split > 0) {
    lines.push(
      `${count(plan.split, 'recording is', 'recordings are')} split into an agent file and a customer file.`,
    );
  }
  const formats = Object.entries(plan.byExtension).map(
    ([ext, n]) => `${n.toLocaleString()} .${ext}`,
  );
  if (formats.length > 0)
    lines.push(`Files: ${formats.join(', ')}, plus manifest.csv, manifest.json and SHA256SUMS.`);
  if (plan.notArchived > 0) {
    lines.push(
      `${plan.notArchived.toLocaleString()} of the ${plan.selected.toLocaleString()} selected ${plan.notArchived === 1 ? 'is' : 'are'} not archived yet and cannot be exported.`,
    );
  }
  return lines;
}
