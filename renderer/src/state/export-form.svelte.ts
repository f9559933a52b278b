import {
  exportOptionsSchema,
  isTimeZone,
  type ExportOptions,
  type ExportOptionsInput,
} from '../../../main/core/contract/export-options.ts';
import type { RequestArgs } from '../../../main/core/contract/requests.ts';
import type { LastExportSettings, LibraryQuery } from '../../../main/core/contract/types.ts';
import { BITRATE_KBPS, EXPORT_DEFAULTS } from '../../../main/core/contract/vocabulary.ts';

export const DESTINATION_KINDS = ['folder', 'zip'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** What the dialog's fields hold: every option, the bitrate too while it is hidden. */
export type ExportFormValues = Required<ExportOptions>;

export function defaultExportOptions(): ExportFormValues {
  return { ...exportOptionsSchema.parse({}), bitrateKbps: EXPORT_DEFAULTS.bitrateKbps };
}

/**
 * The options the dialog's fields mean: the bitrate only where the dialog shows it (mp3), and
 * the settings it disables for "original" at their neutral values, since a byte copy has none.
 */
export function optionsToSend(values: ExportFormValues): ExportOptionsInput {
  const { bitrateKbps, ...rest } = values;
  const sent: ExportOptionsInput = values.format === 'mp3' ? { ...rest, bitrateKbps } : rest;
  if (values.format !== 'original') return sent;
  return {
    ...sent,
    sampleRate: EXPORT_DEFAULTS.sampleRate,
    channels: EXPORT_DEFAULTS.channels,
    loudnorm: EXPORT_DEFAULTS.loudnorm,
  };
}

/** What to export: the chosen ids, or everything the current search matches. */
export type ExportSelection = { ids: number[] } | { query: LibraryQuery };

/** The export dialog's values and their validation, checked with the contract's own schema. */
export class ExportForm {
  options = $state<ExportFormValues>(defaultExportOptions());
  destinationKind = $state<DestinationKind>('folder');
  path = $state('');

  /** Problems in words, keyed by field; empty when the form can be sent. */
  errors = $derived(validate(this.options, this.destinationKind, this.path));
  valid = $derived(Object.keys(this.errors).length === 0);

  /**
   * The dialog's defaults: the last export's destination and options (the engine keeps them in
   * its settings), else the contract's defaults; the time zone is the user's (Settings) when
   * they chose one, since that is the zone every date in the app is shown in; with no choice
   * and no last export, the system's zone (the one the app shows dates in then), not UTC.
   */
  applyDefaults(
    last: LastExportSettings | null,
    timeZone: string | null = null,
    systemZone: string | null = null,
  ): void {
    if (last) {
      this.options = { ...defaultExportOptions(), ...last.options };
      this.options.bitrateKbps = last.options.bitrateKbps ?? EXPORT_DEFAULTS.bitrateKbps;
      this.destinationKind = last.destination.kind;
      this.path = last.destination.path;
    }
    if (timeZone && isTimeZone(timeZone)) this.options.timeZone = timeZone;
    else if (!last && systemZone && isTimeZone(systemZone)) this.options.timeZone = systemZone;
  }

  /** The options as the engine parses them, or null while a field is not valid. */
  planOptions(): ExportOptions | null {
    const parsed = exportOptionsSchema.safeParse(optionsToSend($state.snapshot(this.options)));
    return parsed.success ? parsed.data : null;
  }

  /** The request; `createFolder` false makes the engine refuse a folder that is not there. */
  request(selection: ExportSelection, createFolder = false): RequestArgs<'exportStart'> {
    return {
      createFolder,
      ...('ids' in selection
        ? { recordingIds: selection.ids }
        : { recordingIds: [], query: selection.query }),
      destination: { kind: this.destinationKind, path: this.path.trim() },
      options: exportOptionsSchema.parse(optionsToSend($state.snapshot(this.options))),
    };
  }
}

export function validate(
  options: ExportFormValues,
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
  // The engine refuses these too; said here, beside the field, before anything starts.
  if (options.loadFiles.length > 0 && kind === 'zip' && options.package !== 'bag') {
    errors.loadFiles = 'Load files go in a folder or in a BagIt package, not in a plain zip.';
  }
  if (options.profile === 'sec-audio' && kind !== 'zip') {
    errors.path = 'The regulator audio profile is saved as one .zip file.';
  }
  const parsed = exportOptionsSchema.safeParse(optionsToSend(options));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'options');
      errors[field] ??= plainIssue(field, issue.message);
    }
  }
  const template = options.fileNameTemplate;
  if (template.trim() === '') errors.fileNameTemplate = 'The name template is empty.';
  else if (!/\{[a-z]+\}/.test(template)) {
    errors.fileNameTemplate = 'Use at least one token, such as {recording}, so names differ.';
  }
  if (!isTimeZone(options.timeZone)) errors.timeZone = `Unknown time zone "${options.timeZone}".`;
  return errors;
}

function plainIssue(field: string, message: string): string {
  if (field === 'bitrateKbps') {
    return `The MP3 bitrate must be between ${BITRATE_KBPS.min} and ${BITRATE_KBPS.max} kbit/s.`;
  }
  return message;
}
