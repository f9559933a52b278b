import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  CHANNEL_NAMES,
  EXPORT_FORMATS,
  PROVIDER_NAMES,
  TEMPLATE_TOKENS,
} from '../../../main/core/contract/vocabulary.ts';
import { repoRoot } from '../../support/built.ts';

// The domain's word lists live in main/core/contract/ only. A second literal list anywhere
// else drifts: a new export format or channel then works in one screen and not in another.
// Lists are found in the syntax (arrays and unions made only of a vocabulary's words, two or
// more) and in prose (help text, labels) that spells a whole vocabulary out.

const VOCABULARIES: { name: string; words: readonly string[]; list: number; prose: number }[] = [
  { name: 'channels', words: CHANNEL_NAMES, list: 2, prose: CHANNEL_NAMES.length },
  { name: 'providers', words: PROVIDER_NAMES, list: 2, prose: PROVIDER_NAMES.length },
  // "original" is an ordinary English word: prose counts the converting formats only.
  { name: 'export formats', words: EXPORT_FORMATS, list: 2, prose: 4 },
  // Bare token words ("date", "id") are common: only a long run of them is a token list.
  { name: 'template tokens', words: TEMPLATE_TOKENS, list: 5, prose: Infinity },
  {
    name: 'template tokens',
    words: TEMPLATE_TOKENS.map((token) => `{${token}}`),
    list: 2,
    prose: 3,
  },
];

const SCANNED = ['main', 'preload', 'renderer'];
// Migrations are history: a released one never changes, whatever the vocabulary becomes.
const EXEMPT = [
  /^main\/core\/contract\//,
  /^main\/core\/db\/migrations\//,
  /\.test\.ts$/,
  /\/test-support\//,
];

/** What is wrong with one piece of source, as `vocabulary: "the literal text"` lines. */
function secondLists(source: string, fileName = 'source.ts'): string[] {
  const found: string[] = [];
  const check = (strings: string[], text: string, mode: 'list' | 'prose') => {
    for (const vocabulary of VOCABULARIES) {
      if (mode === 'list' && !strings.every((s) => vocabulary.words.includes(s))) continue;
      const hits = new Set(
        mode === 'list'
          ? strings
          : strings.flatMap((s) => vocabulary.words.filter((word) => mentions(s, word))),
      );
      if (mode === 'prose') hits.delete('original');
      if (hits.size >= vocabulary[mode]) {
        found.push(`${vocabulary.name}: ${text.replace(/\s+/g, ' ').slice(0, 120)}`);
      }
    }
  };
  const scripts = fileName.endsWith('.svelte')
    ? [...source.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!)
    : [source];
  for (const script of scripts) {
    const file = ts.createSourceFile('x.ts', script, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isArrayLiteralExpression(node)) {
        check(node.elements.flatMap(stringValue), node.getText(file), 'list');
      } else if (ts.isUnionTypeNode(node)) {
        const members = node.types.flatMap((t) =>
          ts.isLiteralTypeNode(t) ? stringValue(t.literal) : [],
        );
        check(members, node.getText(file), 'list');
      } else if (ts.isStringLiteralLike(node) || ts.isTemplateLiteralToken(node)) {
        check([node.text], node.getText(file), 'prose');
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  if (fileName.endsWith('.svelte')) {
    // The markup: `{#each ['a', 'b'] as …}` lists, and text a user reads.
    const markup = source.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/g, '');
    for (const [list] of markup.matchAll(/\[[^[\]]*\]/g)) {
      const strings = [...list.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => (m[1] ?? m[2])!);
      check(strings, list, 'list');
    }
    // A <select> or radio group written out option by option is a list too.
    for (const [group] of markup.matchAll(/<(select|fieldset)\b[\s\S]*?<\/\1>/g)) {
      const values = [...group.matchAll(/\bvalue="([^"{}]+)"/g)].map((m) => m[1]!);
      check(values, group, 'list');
    }
    check([markup.replace(/<[^>]*>/g, ' ')], 'the markup text', 'prose');
  }
  return found;
}

function stringValue(node: ts.Node): string[] {
  return ts.isStringLiteralLike(node) ? [node.text] : [];
}

function mentions(text: string, word: string): boolean {
  if (word.startsWith('{')) return text.includes(word);
  return new RegExp(`(^|[^\\w-])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^\\w-])`).test(
    text,
  );
}

function sourceFiles(): string[] {
  return SCANNED.flatMap((dir) =>
    fs
      .readdirSync(path.join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|svelte)$/.test(f) && !f.includes('node_modules'))
      .map((f) => `${dir}/${f.split(path.sep).join('/')}`)
      .filter((f) => !EXEMPT.some((pattern) => pattern.test(f))),
  );
}

describe('one vocabulary', () => {
  it('finds the second lists the tree had before the vocabulary module', () => {
    // Copied from the tree before main/core/contract/vocabulary.ts existed.
    const before = [
      `const FORMATS = ['original', 'mp3', 'wav', 'ogg', 'flac', 'm4a', 'opus'] as const;`,
      `export const channelSchema = z.enum(['mixed', 'agent', 'customer']);`,
      `export type Channel = 'mixed' | 'agent' | 'customer';`,
      `export const NAME_TOKENS = ['{provider}', '{account}', '{session}', '{call}'];`,
      `export const TEMPLATE_TOKENS = ['provider', 'account', 'session', 'call', 'recording', 'id'] as const;`,
      `const DEFAULT = '{provider}_{date}_{time}_{recording}_{channel}';`,
      'const HELP = `Formats: original (a byte-for-byte copy), mp3, wav, ogg, flac, m4a, opus.`;',
      `throw new UsageError('--channel takes mixed, agent or customer.');`,
      `if (!['mixed', 'agent', 'customer'].includes(channel)) fail();`,
      `const RANGE = new Set(['envoy', 'koreai']);`,
    ];
    for (const line of before) expect(secondLists(line), line).not.toEqual([]);
    const channelSelect = `<select bind:value={channel}>
        <option value="">All channels</option>
        <option value="mixed">Mixed</option>
        <option value="agent">Agent only</option>
      </select>`;
    expect(secondLists(channelSelect, 'SyncForm.svelte')).not.toEqual([]);
    expect(
      secondLists(
        `{#each ['original', 'mp3', 'wav'] as f (f)}<option>{f}</option>{/each}`,
        'X.svelte',
      ),
    ).not.toEqual([]);
  });

  it('lets one word, a table keyed by the vocabulary, and ordinary prose through', () => {
    const fine = [
      `const split = channel === 'agent' ? 'left' : 'right';`,
      `const LABELS: Record<ChannelName, string> = { mixed: 'Both', agent: 'Agent', customer: 'Customer' };`,
      `const hint = 'Split agent / customer';`,
      `const sort = ['date', 'time'];`,
      `const EXTENSIONS = ['mp3', 'wav', 'mp4', 'webm'];`,
      `type Output = 'both' | 'agent' | 'customer';`,
      `const message = 'Use at least one token, such as {recording}, so names differ.';`,
    ];
    for (const line of fine) expect(secondLists(line), line).toEqual([]);
  });

  it('main/, preload/ and renderer/ spell no vocabulary out outside main/core/contract/', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    const found = files.flatMap((file) =>
      secondLists(fs.readFileSync(path.join(repoRoot, file), 'utf8'), file).map(
        (problem) => `${file}: ${problem}`,
      ),
    );
    expect(found).toEqual([]);
  });
});
