// How every ffmpeg and ffprobe call names its input: as a local file only, read with the
// demuxer of the type Recvault archived it as. Left to itself ffmpeg guesses the format from
// the bytes, and a provider's "recording" could then be a playlist or concat list that makes
// ffmpeg open other files or URLs (an ffconcat list named .wav reads its neighbours).
import path from 'node:path';

/** ffmpeg's demuxer for each archived extension (archive/layout.ts MEDIA_EXTENSIONS). */
const DEMUXER_BY_EXTENSION: Record<string, string> = {
  mp3: 'mp3',
  wav: 'wav',
  ogg: 'ogg',
  opus: 'ogg',
  m4a: 'mov',
  mp4: 'mov',
  flac: 'flac',
  webm: 'matroska',
};

/** ffmpeg's demuxer for a file one of its muxers wrote (an export's temporary output). */
const DEMUXER_BY_MUXER: Record<string, string> = {
  mp3: 'mp3',
  wav: 'wav',
  ogg: 'ogg',
  opus: 'ogg',
  flac: 'flac',
  ipod: 'mov',
  mp4: 'mov',
  mov: 'mov',
};

// No parameter properties: the benches run this file under Node's type stripping.
export class UnknownMediaFormatError extends Error {
  readonly file: string;
  constructor(file: string) {
    super(
      `${path.basename(file)} is not of a type Recvault reads (${path.extname(file) || 'no extension'}); it is kept as it is, never decoded`,
    );
    this.file = file;
  }
}

/** The demuxer for an archived file, from its extension; throws for any other file. */
export function demuxerForFile(file: string): string {
  const demuxer = DEMUXER_BY_EXTENSION[path.extname(file).slice(1).toLowerCase()];
  if (demuxer === undefined) throw new UnknownMediaFormatError(file);
  return demuxer;
}

/** The demuxer reading back what the muxer `muxer` wrote. */
export function demuxerForMuxer(muxer: string): string {
  const demuxer = DEMUXER_BY_MUXER[muxer];
  if (demuxer === undefined) throw new Error(`no demuxer known for ffmpeg's ${muxer} muxer`);
  return demuxer;
}

/** The input arguments: only the file protocol, the demuxer named, the path as a file: URL. */
export function inputArgs(file: string, demuxer: string): string[] {
  return ['-protocol_whitelist', 'file', '-f', demuxer, '-i', `file:${file}`];
}
