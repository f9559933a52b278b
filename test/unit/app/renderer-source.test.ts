import { describe, expect, it } from 'vitest';
import { rendererDevServerUrl } from '../../../main/app/renderer-source.ts';

describe('which page the window loads', () => {
  const env = { ELECTRON_RENDERER_URL: 'http://evil.example:5173/' };

  it('ignores ELECTRON_RENDERER_URL in the packaged app', () => {
    expect(rendererDevServerUrl(true, env)).toBeUndefined();
  });

  it('loads the dev server in an unpackaged run (npm run dev)', () => {
    expect(rendererDevServerUrl(false, env)).toBe('http://evil.example:5173/');
    expect(rendererDevServerUrl(false, {})).toBeUndefined();
  });
});
