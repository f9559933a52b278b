import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtFile } from '../../support/built.ts';

describe('built window security', () => {
  it('ships a strict Content-Security-Policy in the built index.html', () => {
    const html = fs.readFileSync(builtFile('renderer/index.html'), 'utf8');
    const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
    expect(match, 'CSP meta tag').not.toBeNull();
    const directives = new Map(
      match![1]!.split(';').map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name!, values] as const;
      }),
    );
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    for (const values of directives.values()) {
      expect(values).not.toContain("'unsafe-eval'");
      expect(values).not.toContain("'unsafe-inline'");
      expect(values).not.toContain('*');
    }
    // The built page loads only bundled scripts, no inline ones the CSP would block.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('bundles the preload as one CommonJS file that requires only electron', () => {
    const preload = fs.readFileSync(builtFile('preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/);
  });
});
