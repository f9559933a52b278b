import { describe, expect, it } from 'vitest';
import {
  MediaStatsParser,
  parseLogLine,
  singleStreamSeconds,
} from '../../../main/core/ffmpeg/media-stats.ts';

// What ffmpeg 5.1 prints with `-loglevel level+verbose` for a 16 kHz WAV → MP3 conversion.
const FFMPEG_5_LOG = `[wav @ 0x558d5fc08340] [verbose] parser not found for codec pcm_s16le, packets or times may be invalid.
[warning] Guessed Channel Layout for Input Stream #0.0 : mono
[info] Input #0, wav, from 'src.wav':
[info]   Metadata:
[info]     encoder         : Lavf59.27.100
[info]   Duration: 00:04:00.00, bitrate: 256 kb/s
[info]   Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 16000 Hz, mono, s16, 256 kb/s
[info] Stream mapping:
[info]   Stream #0:0 -> #0:0 (pcm_s16le (native) -> mp3 (libmp3lame))
[auto_aresample_0 @ 0x558d5fc505c0] [verbose] ch:1 chl:mono fmt:s16 r:16000Hz -> ch:1 chl:mono fmt:s16p r:16000Hz
[info] Output #0, mp3, to 'out.mp3':
[info]   Stream #0:0: Audio: mp3, 16000 Hz, mono, s16p, delay 1105, 128 kb/s
[info]     Metadata:
[info]       encoder         : Lavc libmp3lame
[verbose] No more output streams to write to, finishing.
[info] size=    3752kB time=00:04:00.01 bitrate= 128.1kbits/s speed= 318x    
[verbose] Input file #0 (src.wav):
[verbose]   Input stream #0:0 (audio): 1875 packets read (7680000 bytes); 1875 frames decoded (3840000 samples); 
[verbose]   Total: 1875 packets (7680000 bytes) demuxed
[verbose] Output file #0 (out.mp3):
[verbose]   Output stream #0:0 (audio): 6667 frames encoded (3840000 samples); 6669 packets muxed (3841344 bytes); 
[verbose]   Total: 6669 packets (3841344 bytes) muxed
[AVIOContext @ 0x558d5fc4aec0] [verbose] Statistics: 3842516 bytes written, 2 seeks, 16 writeouts`;

function parse(log: string) {
  const parser = new MediaStatsParser();
  for (const line of log.split('\n')) parser.push(parseLogLine(line));
  return parser.result();
}

describe('parseLogLine', () => {
  it('splits the level tag from the line, keeping a component prefix as -loglevel error shows it', () => {
    expect(parseLogLine('[mp3 @ 0x55b6ac239180] [error] Failed to read frame size')).toEqual({
      level: 'error',
      fromComponent: true,
      text: '[mp3 @ 0x55b6ac239180] Failed to read frame size',
      message: 'Failed to read frame size',
    });
    expect(parseLogLine('[error] corrupt.mp3: Invalid argument')).toMatchObject({
      level: 'error',
      fromComponent: false,
      text: 'corrupt.mp3: Invalid argument',
    });
    expect(parseLogLine('  a continuation line')).toMatchObject({ level: null });
    expect(parseLogLine('[notalevel] x')).toMatchObject({ level: null, text: '[notalevel] x' });
  });
});

describe('MediaStatsParser', () => {
  it('reads decoded and encoded sample counts with the rates of their streams (ffmpeg 5)', () => {
    const stats = parse(FFMPEG_5_LOG);
    expect(stats).toEqual({
      decodedAudio: [{ file: 0, stream: 0, samples: 3840000, sampleRate: 16000 }],
      encodedAudio: [{ file: 0, stream: 0, samples: 3840000, sampleRate: 16000 }],
    });
    expect(singleStreamSeconds(stats.decodedAudio)).toBe(240);
  });

  it('reads the ffmpeg 7 wording, and counts nothing for stream copies and unused streams', () => {
    const stats = parse(
      [
        "[info] Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'in.mp4':",
        '[info]   Stream #0:0[0x1](und): Video: h264 (High), yuv420p, 320x240, 15 fps',
        '[info]   Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 22050 Hz, stereo, fltp, 69 kb/s (default)',
        "[info] Output #0, ogg, to 'out.ogg':",
        '[info]   Stream #0:0: Audio: opus, 48000 Hz, stereo, s16, delay 312, 64 kb/s',
        '[verbose]   Input stream #0:0 (video): 15 packets read (3000 bytes); ',
        '[verbose]   Input stream #0:1 (audio): 22 packets read (9000 bytes); 22 frames decoded; 0 decode errors (22528 samples); ',
        '[verbose]   Output stream #0:0 (audio): 25 frames encoded (49032 samples); 26 packets muxed (7000 bytes); ',
        '[verbose]   Output stream #0:1 (audio): 26 packets muxed (7000 bytes); ',
      ].join('\n'),
    );
    expect(stats).toEqual({
      decodedAudio: [{ file: 0, stream: 1, samples: 22528, sampleRate: 22050 }],
      encodedAudio: [{ file: 0, stream: 0, samples: 49032, sampleRate: 48000 }],
    });
  });

  it('ignores look-alike lines from components and gives no duration without a rate', () => {
    const stats = parse(
      [
        '[mp3 @ 0x1] [verbose]   Output stream #0:0 (audio): 1 frames encoded (99 samples); ',
        '[verbose]   Output stream #0:0 (audio): 10 frames encoded (11520 samples); ',
      ].join('\n'),
    );
    expect(stats.encodedAudio).toEqual([{ file: 0, stream: 0, samples: 11520, sampleRate: null }]);
    expect(singleStreamSeconds(stats.encodedAudio)).toBeNull();
    expect(singleStreamSeconds([])).toBeNull();
  });
});
