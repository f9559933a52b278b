// Reading an RFC 8493 bag's text files as the RFC defines them (not as the writer writes them):
// manifests are "checksum whitespace path" lines with CR, LF and % percent-encoded in the path;
// tag files are "Label: value" lines, a value continued on lines that start with whitespace.

export interface ManifestLine {
  sha256: string;
  path: string;
  line: number;
}

export function parseManifest(text: string): { lines: ManifestLine[]; problems: string[] } {
  const lines: ManifestLine[] = [];
  const problems: string[] = [];
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    if (raw === '') return;
    const match = /^([0-9a-fA-F]{64})[ \t]+(.+)$/.exec(raw);
    if (!match) {
      problems.push(`line ${index + 1} is not "SHA-256 path"`);
      return;
    }
    lines.push({ sha256: match[1]!.toLowerCase(), path: decodePath(match[2]!), line: index + 1 });
  });
  return { lines, problems };
}

/** %0D, %0A and %25 back to CR, LF and %; other % sequences are left as written. */
export function decodePath(encoded: string): string {
  return encoded.replace(/%(0D|0A|25)/gi, (_, code: string) =>
    String.fromCharCode(parseInt(code, 16)),
  );
}

export function parseTagFile(text: string): { label: string; value: string }[] {
  const out: { label: string; value: string }[] = [];
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (line === '') continue;
    const last = out.at(-1);
    if (/^[ \t]/.test(line) && last) {
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    out.push({ label: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return out;
}

/** A manifest path a bag may hold: relative, forward slashes, no "." or ".." segments. */
export function isSafeBagPath(name: string): boolean {
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name)) return false;
  return name.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
