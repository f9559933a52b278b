import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../main/bridge/open-browser.ts';

describe('opening the bridge in a browser', () => {
  const url = 'http://127.0.0.1:5000/#token=abc';

  it('uses each platform opener with the URL as one argument', () => {
    expect(browserCommand(url, 'linux')).toEqual(['xdg-open', [url]]);
    expect(browserCommand(url, 'darwin')).toEqual(['open', [url]]);
    expect(browserCommand(url, 'win32')).toEqual(['cmd', ['/c', 'start', '""', url]]);
  });
});
