// The ffmpeg argument array for one planned output (never a shell string).
import { demuxerForFile, inputArgs } from '../ffmpeg/input.ts';
import type { OutputRecipe } from './plan.ts';

type FfmpegRecipe = Extract<OutputRecipe, { kind: 'ffmpeg' }>;

/** EBU R128: -23 LUFS integrated, -1 dBTP true peak, 7 LU loudness range (single pass). */
export const LOUDNORM_FILTER = 'loudnorm=I=-23:TP=-1:LRA=7';

export function buildConversionArgs(
  recipe: FfmpegRecipe,
  inputPath: string,
  outputPath: string,
): string[] {
  const args = [...inputArgs(inputPath, demuxerForFile(inputPath)), '-map', '0:a:0'];
  if (recipe.keepVideo) args.push('-map', '0:v:0', '-c:v', 'copy');
  else args.push('-vn');
  // No subtitles, data tracks or chapters from the source.
  args.push('-sn', '-dn', '-map_chapters', '-1');

  const filters: string[] = [];
  // Split: keep one input channel as a mono signal (c0 = LEFT = agent, c1 = RIGHT = customer).
  if (recipe.panChannel !== null) filters.push(`pan=mono|c0=c${recipe.panChannel}`);
  if (recipe.loudnorm) filters.push(LOUDNORM_FILTER);
  if (filters.length > 0) args.push('-af', filters.join(','));

  args.push('-c:a', recipe.audioCodec);
  if (recipe.audioCodec !== 'copy') {
    if (recipe.bitrateKbps !== null) args.push('-b:a', `${recipe.bitrateKbps}k`);
    else if (recipe.vbrQuality !== null) args.push('-q:a', String(recipe.vbrQuality));
    if (recipe.sampleRate !== null) args.push('-ar', String(recipe.sampleRate));
    if (recipe.channelCount !== null) args.push('-ac', String(recipe.channelCount));
  }
  if (recipe.muxer === 'ipod' || recipe.muxer === 'mp4') args.push('-movflags', '+faststart');
  // Bit-exact: no random Ogg serials, no creation times, no encoder version tags, so the same
  // export run twice gives the same bytes (and the same checksums).
  args.push('-fflags', '+bitexact', '-flags', '+bitexact');
  // -n: never overwrite; -f: the temporary name has no meaningful extension.
  args.push('-n', '-f', recipe.muxer, outputPath);
  return args;
}
