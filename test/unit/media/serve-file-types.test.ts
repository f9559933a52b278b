// An archived file is served as sound or video, or as bytes that cannot run: a provider that
// labelled its file text/html or image/svg+xml does not get a page on the app's origin.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serveFile } from '../../../main/core/media/serve-file.ts';
import { tempDir } from '../../support/tmp.ts';

function archivedFile(): string {
  const file = path.join(tempDir('recvault-serve-'), 'recording.bin');
  fs.writeFileSync(file, '<script>alert(1)</script>');
  return file;
}

describe('serveFile content types', () => {
  it('passes audio and video types through', async () => {
    const file = archivedFile();
    for (const type of ['audio/mpeg', 'audio/wav', 'video/mp4', 'audio/ogg; codecs=opus']) {
      const answer = await serveFile(file, type, 'HEAD', null);
      expect(answer.headers['Content-Type']).toBe(type);
      expect(answer.headers['Content-Security-Policy']).toBe('sandbox');
    }
  });

  it('serves anything else as application/octet-stream, sandboxed', async () => {
    const file = archivedFile();
    for (const type of ['text/html', 'image/svg+xml', 'application/xhtml+xml', 'audio', '']) {
      const answer = await serveFile(file, type, 'GET', null);
      // Wait for the stream to close: its file is opened asynchronously, and the temp folder
      // goes when the test ends.
      if (answer.body) {
        const closed = new Promise((resolve) => answer.body!.once('close', resolve));
        answer.body.destroy();
        await closed;
      }
      expect(answer.headers['Content-Type']).toBe('application/octet-stream');
      expect(answer.headers['Content-Security-Policy']).toBe('sandbox');
      expect(answer.headers['X-Content-Type-Options']).toBe('nosniff');
    }
  });
});
