import { exportOptionsSchema } from '../../../main/core/contract/requests.ts';
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { ExportOptionsView, LibraryQuery } from '../../../main/core/contract/types.ts';

export type DestinationKind = 'folder' | 'zip';

export function defaultExportOptions(): ExportOptionsView {
  return exportOptionsSchema.parse({});
}

/** The tokens the file-name template understands (issue 5). */
export const NAME_TOKENS = [
  '{provider}',
  '{account}',
  '{session}',
  '{call}',
  '{recording}',
  '{id}',
  '{channel}',
  '{date}',
  '{time}',
  '{duration}',
];

/** What to export: the chosen ids, or everything the current search matches. */
export type ExportSelection = { ids: number[] } | { query: LibraryQuery };

/** The export dialog's values and their validation, checked with the contract's own schema. */
export class ExportForm {
  options = $state<ExportOptionsView>(defaultExportOptions());
  destinationKind = $state<DestinationKind>('folder');
  path = $state('');

  /** Problems in words, keyed by field; empty when the form can be sent. */
  errors = $derived(validate(this.options, this.destinationKind, this.path));
  valid = $derived(Object.keys(this.errors).length === 0);

  request(selection: ExportSelection): RequestArgs<'exportStart'> {
    return {
      ...('ids' in selection
        ? { recordingIds: selection.ids }
        : { recordingIds: [], query: selection.query }),
      destination: { kind: this.destinationKind, path: this.path.trim() },
      options: exportOptionsSchema.parse($state.snapshot(this.options)),
    };
  }
}

export function validate(
  options: ExportOptionsView,
  kind: DestinationKind,
  path: string,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const trimmed = path.trim();
  if (trimmed === '') {
    errors.path = kind === 'zip' ? 'Choose where to save the .zip file.' : 'Choose a folder.';
  } else if (kind === 'zip' && !/\.zip$/i.test(trimmed)) {
    errors.path = 'The file name must end in .zip.';
  }
  const parsed = exportOptionsSchema.safeParse(options);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'options');
      errors[field] ??= plainIssue(field, issue.message);
    }
  }
  if (options.nameTemplate.trim() === '') errors.nameTemplate = 'The name template is empty.';
  else if (!/\{[a-z]+\}/.test(options.nameTemplate)) {
    errors.nameTemplate = 'Use at least one token, such as {recording}, so names differ.';
  }
  if (!isTimeZone(options.timezone)) errors.timezone = `Unknown time zone "${options.timezone}".`;
  return errors;
}

function plainIssue(field: string, message: string): string {
  if (field === 'mp3Bitrate') return 'The MP3 bitrate must be between 32 and 320 kbit/s.';
  return message;
}

export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
