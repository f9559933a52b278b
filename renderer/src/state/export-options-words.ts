// An export's options as the Exports screen lists them: label and value, in plain words.
import type { ExportOptions } from '../../../main/core/contract/types.ts';
import { LOSSY_FORMATS } from '../../../main/core/contract/vocabulary.ts';

const CHANNELS: Record<ExportOptions['channels'], string> = {
  keep: 'Kept as recorded',
  mono: 'Mono',
  split: 'Split: one agent file and one customer file',
};

export function exportOptionRows(
  options: ExportOptions,
  kind: 'folder' | 'zip',
): [label: string, value: string][] {
  const original = options.format === 'original';
  const rows: [string, string][] = [
    ['Format', original ? 'Original (no conversion)' : options.format.toUpperCase()],
  ];
  if (LOSSY_FORMATS.includes(options.format)) {
    rows.push([
      'Bitrate',
      options.bitrateKbps ? `${options.bitrateKbps} kbit/s` : 'The format’s default',
    ]);
  }
  if (!original) {
    rows.push(['Channels', CHANNELS[options.channels]]);
    rows.push([
      'Sample rate',
      options.sampleRate === 'keep' ? 'Kept as recorded' : `${options.sampleRate} Hz`,
    ]);
    if (options.loudnorm) rows.push(['Loudness', 'Normalised (EBU R128)']);
  }
  rows.push(['File names', options.fileNameTemplate]);
  rows.push(['Time zone', options.timeZone]);
  rows.push([
    'Package',
    `${options.package === 'bag' ? 'BagIt bag for legal' : 'Plain files'} in ${kind === 'zip' ? 'one .zip file' : 'a folder'}`,
  ]);
  if (options.profile !== 'none') rows.push(['Profile', 'Regulator audio (sec-audio)']);
  if (options.loadFiles.length > 0) {
    rows.push(['Load files', options.loadFiles.map((k) => k.toUpperCase()).join(', ')]);
  }
  return rows;
}
