// What every benchmark returns, the machine it ran on, the console table and bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { formatMs, formatRatio } from './util.ts';

export interface Metric {
  /** What was measured, e.g. "sync time". */
  name: string;
  /** Recvault's figure, formatted. */
  recvault: string;
  /** The peer's figure, formatted, with the peer named in `peerName`. */
  peer?: string;
  peerName?: string;
  /** Recvault relative to the peer, formatted (higher is better unless `target` says otherwise). */
  ratio?: string;
  target?: string;
  /** null: no target, or not measurable on this run. */
  met?: boolean | null;
}

export interface BenchResult {
  id: string;
  title: string;
  metrics: Metric[];
  notes: string[];
  durationMs: number;
  /** Set when the bench could not run here (with the reason). */
  skipped?: string;
}

/** The result of a bench that could not run here (or failed), with the reason. */
export function skippedResult(id: string, title: string, reason: string): BenchResult {
  return { id, title, metrics: [], notes: [], durationMs: 0, skipped: reason };
}

/**
 * Recvault against a peer on the same work, from both times; the ratio is the peer's time over
 * Recvault's (above 1: Recvault was faster). `format` shows a time (default) or what it implies.
 */
export function againstPeer(
  name: string,
  peerName: string,
  ms: { recvault: number; peer: number },
  format: (ms: number) => string = formatMs,
): Metric {
  return {
    name,
    recvault: format(ms.recvault),
    peer: format(ms.peer),
    peerName,
    ratio: formatRatio(ms.peer / ms.recvault),
  };
}

export interface Machine {
  date: string;
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  node: string;
  ffmpeg: string;
  tools: string[];
}

function firstLine(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\n')[0]!
      .trim();
  } catch {
    return `${command}: not found`;
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ffmpeg: firstLine('ffmpeg', ['-hide_banner', '-version']),
    tools: [
      firstLine('aria2c', ['--version']),
      firstLine('curl', ['--version']).split(' ').slice(0, 2).join(' '),
      firstLine('/usr/bin/chromium', ['--version']),
    ],
  };
}

const verdict = (met: boolean | null | undefined): string =>
  met === true ? 'met' : met === false ? 'MISSED' : '';

/** A plain-text table for the terminal. */
export function consoleTable(results: readonly BenchResult[]): string {
  const rows: string[][] = [['bench', 'metric', 'recvault', 'peer', 'ratio', 'target', '']];
  for (const result of results) {
    if (result.skipped) {
      rows.push([result.id, `skipped: ${result.skipped}`, '', '', '', '', '']);
      continue;
    }
    for (const m of result.metrics) {
      rows.push([
        result.id,
        m.name,
        m.recvault,
        m.peer ? `${m.peer} (${m.peerName ?? 'peer'})` : '',
        m.ratio ?? '',
        m.target ?? '',
        verdict(m.met),
      ]);
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r, i) => {
      const line = r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd();
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

const cell = (text: string | undefined): string => (text ?? '').replaceAll('|', '\\|');

export function markdown(
  machine: Machine,
  results: readonly BenchResult[],
  totalMs: number,
): string {
  const lines: string[] = [
    '# Benchmark results',
    '',
    'Written by `npm run bench` (see `bench/README.md`). Each figure is compared with a peer run',
    'in the same session on the same machine; the ratios matter more than the absolute times.',
    '',
    '## Machine',
    '',
    `- Date: ${machine.date}`,
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Memory: ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node: ${machine.node}`,
    `- ffmpeg: ${machine.ffmpeg}`,
    ...machine.tools.map((t) => `- ${t}`),
    `- Whole run: ${formatMs(totalMs)}`,
    '',
    '## Summary',
    '',
    '| bench | metric | Recvault | peer | ratio | target | |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const result of results) {
    if (result.skipped) {
      lines.push(`| ${result.id} | skipped: ${cell(result.skipped)} | | | | | |`);
      continue;
    }
    for (const m of result.metrics) {
      const peer = m.peer ? `${m.peer} (${m.peerName ?? 'peer'})` : '';
      lines.push(
        `| ${result.id} | ${cell(m.name)} | ${cell(m.recvault)} | ${cell(peer)} | ${cell(m.ratio)} | ${cell(m.target)} | ${verdict(m.met)} |`,
      );
    }
  }
  for (const result of results) {
    lines.push('', `## ${result.id}: ${result.title}`, '');
    if (result.skipped) lines.push(`Skipped: ${result.skipped}`, '');
    else lines.push(`Ran in ${formatMs(result.durationMs)}.`, '');
    for (const note of result.notes) lines.push(`- ${note}`);
  }
  lines.push('');
  return lines.join('\n');
}

export function writeMarkdown(file: string, text: string): void {
  fs.writeFileSync(file, text);
}
