// An independent check of a bag against RFC 8493 ("The BagIt File Packaging Format (V1.0)"),
// written from the RFC's text for the tests, sharing nothing with the exporter or with
// `verify-export`: if the writer and the checker shared a misreading, this would still catch it.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What is wrong with the bag at `base`, one line each; empty when it is complete and valid. */
export function rfc8493Problems(base: string): string[] {
  const problems: string[] = [];
  const exists = (rel: string) => fs.existsSync(path.join(base, rel));
  const read = (rel: string) => fs.readFileSync(path.join(base, rel));

  // §2.1.1 Bag declaration: exactly these two lines, in this order, UTF-8 without a BOM.
  if (!exists('bagit.txt')) return ['§2.1.1 bagit.txt is missing'];
  const declaration = read('bagit.txt');
  if (declaration[0] === 0xef && declaration[1] === 0xbb)
    problems.push('§2.1.1 bagit.txt has a BOM');
  const declLines = splitLines(declaration.toString('utf8'));
  if (
    declLines.length !== 2 ||
    !/^BagIt-Version: \d+\.\d+$/.test(declLines[0]!) ||
    !/^Tag-File-Character-Encoding: \S+$/.test(declLines[1]!)
  ) {
    problems.push(
      `§2.1.1 bagit.txt is not the two declaration lines: ${JSON.stringify(declLines)}`,
    );
  }

  // §2.1.2 Payload directory.
  if (!fs.statSync(path.join(base, 'data'), { throwIfNoEntry: false })?.isDirectory()) {
    problems.push('§2.1.2 there is no data/ directory');
    return problems;
  }
  const allFiles = walk(base);
  const payload = allFiles.filter((f) => f.startsWith('data/'));

  // §2.1.3 Payload manifest: at least one manifest-<algorithm>.txt, every payload file in it.
  const manifests = allFiles.filter((f) => /^manifest-[a-z0-9]+\.txt$/.test(f));
  if (manifests.length === 0) problems.push('§2.1.3 no payload manifest');
  for (const manifest of manifests) {
    const algorithm = /^manifest-([a-z0-9]+)\.txt$/.exec(manifest)![1]!;
    const entries = manifestEntries(read(manifest).toString('utf8'), manifest, problems);
    const listed = new Set<string>();
    for (const entry of entries) {
      if (!entry.path.startsWith('data/'))
        problems.push(`§2.1.3 ${manifest} lists a non-payload file ${entry.path}`);
      checkEntry(base, algorithm, entry, manifest, problems);
      listed.add(entry.path);
    }
    // §3 complete: every payload file is listed in every payload manifest.
    for (const file of payload)
      if (!listed.has(file)) problems.push(`§3 ${file} is not in ${manifest}`);
  }

  // §2.2.1 Tag manifest: lists tag files only; each present and matching.
  const tagManifests = allFiles.filter((f) => /^tagmanifest-[a-z0-9]+\.txt$/.test(f));
  for (const tagManifest of tagManifests) {
    const algorithm = /^tagmanifest-([a-z0-9]+)\.txt$/.exec(tagManifest)![1]!;
    const entries = manifestEntries(read(tagManifest).toString('utf8'), tagManifest, problems);
    const listed = new Set(entries.map((e) => e.path));
    for (const entry of entries) {
      if (entry.path.startsWith('data/'))
        problems.push(`§2.2.1 ${tagManifest} lists payload ${entry.path}`);
      checkEntry(base, algorithm, entry, tagManifest, problems);
    }
    // §2.2.1: tag manifests SHOULD cover every tag file (all but themselves).
    for (const file of allFiles) {
      if (!file.startsWith('data/') && !/^tagmanifest-/.test(file) && !listed.has(file)) {
        problems.push(`§2.2.1 tag file ${file} is not in ${tagManifest}`);
      }
    }
  }
  // §2.4: a tag manifest for each payload manifest's algorithm.
  for (const manifest of manifests) {
    if (!exists(`tag${manifest}`)) problems.push(`§2.4 no tag${manifest}`);
  }

  // §2.2.2 bag-info.txt: "Label: value" lines, continuations indented; the reserved labels'
  // formats where they appear.
  if (exists('bag-info.txt')) {
    const labels = new Map<string, string[]>();
    let last: string | null = null;
    for (const line of splitLines(read('bag-info.txt').toString('utf8'))) {
      if (/^[ \t]/.test(line) && last) continue;
      const match = /^([^:\s][^:]*[^:\s]|[^:\s]):[ \t]?(.*)$/.exec(line);
      if (!match) {
        problems.push(`§2.2.2 bag-info.txt line is not "Label: value": ${JSON.stringify(line)}`);
        continue;
      }
      last = match[1]!;
      labels.set(last, [...(labels.get(last) ?? []), match[2]!]);
    }
    const oxum = labels.get('Payload-Oxum');
    if (oxum) {
      const octets = payload.reduce((sum, f) => sum + fs.statSync(path.join(base, f)).size, 0);
      if (oxum.length !== 1 || oxum[0] !== `${octets}.${payload.length}`) {
        problems.push(
          `§2.2.2 Payload-Oxum ${oxum.join()} but the payload is ${octets}.${payload.length}`,
        );
      }
    }
    const date = labels.get('Bagging-Date');
    if (date && !(date.length === 1 && /^\d{4}-\d{2}-\d{2}$/.test(date[0]!))) {
      problems.push(`§2.2.2 Bagging-Date is not YYYY-MM-DD: ${date.join()}`);
    }
  }
  return problems;
}

/** The reserved labels of bag-info.txt, read per §2.2.2 (for asserting what they say). */
export function bagInfo(base: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of splitLines(fs.readFileSync(path.join(base, 'bag-info.txt'), 'utf8'))) {
    const colon = line.indexOf(':');
    if (colon > 0) out[line.slice(0, colon)] = line.slice(colon + 1).trim();
  }
  return out;
}

interface Entry {
  checksum: string;
  path: string;
}

/** §2.1.3: "checksum filepath", one or more linear whitespace; CR, LF and % percent-encoded. */
function manifestEntries(text: string, name: string, problems: string[]): Entry[] {
  const entries: Entry[] = [];
  for (const line of splitLines(text)) {
    const match = /^(\S+)[ \t]+(.+)$/.exec(line);
    if (!match) {
      problems.push(`§2.1.3 ${name}: bad line ${JSON.stringify(line)}`);
      continue;
    }
    const raw = match[2]!;
    if (/[\r\n]/.test(raw)) problems.push(`§2.1.3 ${name}: unencoded CR/LF in ${raw}`);
    if (/%(?!0[dDaA]|25)/.test(raw)) problems.push(`§2.1.3 ${name}: a bare % in ${raw}`);
    const decoded = raw
      .replace(/%0[dD]/g, '\r')
      .replace(/%0[aA]/g, '\n')
      .replace(/%25/g, '%');
    if (decoded.startsWith('/') || decoded.split('/').includes('..') || decoded.includes('\\')) {
      problems.push(`§2.1.3 ${name}: ${decoded} is not a relative path inside the bag`);
    }
    entries.push({ checksum: match[1]!, path: decoded });
  }
  return entries;
}

function checkEntry(
  base: string,
  algorithm: string,
  entry: Entry,
  name: string,
  problems: string[],
): void {
  const file = path.join(base, ...entry.path.split('/'));
  if (!fs.existsSync(file)) {
    problems.push(`§3 ${name} lists ${entry.path}, which is missing`);
    return;
  }
  const digest = createHash(algorithm).update(fs.readFileSync(file)).digest('hex');
  // §2.1.3: the checksum's hex may be either case.
  if (digest !== entry.checksum.toLowerCase())
    problems.push(`§3 ${entry.path} does not match ${name}`);
}

/** §2.1: lines end in LF, CR or CRLF. */
function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line, i, all) => !(line === '' && i === all.length - 1));
}

function walk(base: string): string[] {
  return fs
    .readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(base, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}
