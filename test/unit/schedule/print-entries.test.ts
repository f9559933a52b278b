// @vitest-environment jsdom
// (for DOMParser: the launchd plist is parsed as strict XML, no plutil needed)
import { describe, expect, it } from 'vitest';
import { scheduleEntries, syncArgs } from '../../../main/core/schedule/print-entries.ts';

// `recvault schedule print`: each entry parsed back as its scheduler reads it. The systemd
// units are also checked by systemd-analyze (test/integration/schedule/systemd-units.test.ts).

const PROGRAM = ['/usr/bin/node', '/opt/recvault/bin/recvault.js'];
const DATA_DIR = "/home/ana/Recvault data/o'brien";

function entries(options: { everyHours?: number; dailyAt?: string; name?: string }) {
  const accountName = options.name ?? 'Prod Envoy';
  return scheduleEntries({
    accountName,
    everyHours: options.everyHours ?? null,
    dailyAt: options.dailyAt ?? null,
    program: PROGRAM,
    secretEnv: 'ENVOY_KEY',
    args: syncArgs({ accountName, windowDays: 3, dataDir: DATA_DIR, fromFile: null }),
  });
}

// --- cron: five fields, each a list of ranges/steps within its bounds, then the command ---
const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** The values a cron field matches; throws on anything cron would refuse. */
function cronValues(field: string, min: number, max: number): number[] {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`bad cron field part "${part}"`);
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] ? max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) throw new Error(`out of range "${part}"`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return [...values];
}

/** A crontab line as cron reads it: when (per field), and the shell command. */
function parseCronLine(line: string): { fields: number[][]; command: string } {
  const parts = line.trim().split(/\s+/);
  if (parts.length < 6) throw new Error('a crontab line has five time fields and a command');
  const fields = CRON_FIELDS.map((f, i) => cronValues(parts[i]!, f.min, f.max));
  return { fields, command: parts.slice(5).join(' ') };
}

/** The words /bin/sh makes of the command (single quotes, backslash escapes), and cron's %. */
function shellWords(command: string): string[] {
  if (/(^|[^\\])%/.test(command)) throw new Error('an unescaped % ends a cron command');
  const text = command.replace(/\\%/g, '%');
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + text[++i];
    } else if (c === ' ') {
      if (word !== null) words.push(word);
      word = null;
    } else if (/[;&|<>()$`"*?]/.test(c)) {
      throw new Error(`unquoted shell metacharacter ${c}`);
    } else word = (word ?? '') + c;
  }
  if (word !== null) words.push(word);
  return words;
}

function cronLine(crontab: string): string {
  const lines = crontab.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('schedule print: crontab', () => {
  it('every 6h: minutes fixed, hours 0,6,12,18, every day; the command is the sync, word for word', () => {
    const e = entries({ everyHours: 6 });
    const { fields, command } = parseCronLine(cronLine(e.crontab));
    expect(fields[0]).toHaveLength(1);
    expect(fields[1]).toEqual([0, 6, 12, 18]);
    expect(fields[2]).toHaveLength(31);
    expect(shellWords(command)).toEqual([
      ...PROGRAM,
      'sync',
      '--account',
      'Prod Envoy',
      '--since',
      '3d',
      '--quiet',
      '--data-dir',
      DATA_DIR,
    ]);
    expect(e.crontab).toContain('ENVOY_KEY');
  });

  it('daily at 02:30; every 48h is every other day; a % in a name is escaped for cron', () => {
    expect(
      parseCronLine(cronLine(entries({ dailyAt: '02:30' }).crontab)).fields.slice(0, 2),
    ).toEqual([[30], [2]]);
    const twoDays = parseCronLine(cronLine(entries({ everyHours: 48 }).crontab));
    expect(twoDays.fields[1]).toEqual([0]);
    expect(twoDays.fields[2]).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31]);
    const odd = entries({ everyHours: 6, name: '100% Sales' });
    expect(shellWords(parseCronLine(cronLine(odd.crontab)).command)).toContain('100% Sales');
  });

  it('refuses an interval cron cannot repeat (over a day, not whole days)', () => {
    expect(() => entries({ everyHours: 30 })).toThrow(/whole days/);
    expect(() => entries({})).toThrow(/--every Nh or --daily/);
  });
});

describe('schedule print: launchd', () => {
  function plist(xml: string) {
    const doc = new DOMParser().parseFromString(xml, 'application/xml');
    expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
    expect(doc.doctype).toMatchObject({
      name: 'plist',
      publicId: '-//Apple//DTD PLIST 1.0//EN',
      systemId: 'http://www.apple.com/DTDs/PropertyList-1.0.dtd',
    });
    const root = doc.documentElement;
    expect(root.tagName).toBe('plist');
    expect(root.getAttribute('version')).toBe('1.0');
    const dicts = [...root.children];
    expect(dicts.map((d) => d.tagName)).toEqual(['dict']);
    return dictOf(dicts[0]!);
  }
  // A plist dict alternates <key> and one value element.
  function dictOf(dict: Element): Record<string, Element> {
    const children = [...dict.children];
    expect(children.length % 2).toBe(0);
    const out: Record<string, Element> = {};
    for (let i = 0; i < children.length; i += 2) {
      expect(children[i]!.tagName).toBe('key');
      out[children[i]!.textContent!] = children[i + 1]!;
    }
    return out;
  }

  it('every 6h: a well-formed plist with a label, the argv as strings and a 6-hour interval', () => {
    const e = entries({ everyHours: 6, name: 'R&D <main>' });
    const dict = plist(e.launchdPlist);
    expect(Object.keys(dict)).toEqual(['Label', 'ProgramArguments', 'StartInterval', 'RunAtLoad']);
    expect(dict.Label!.textContent).toBe(e.launchdLabel);
    expect(e.launchdLabel).toMatch(/^com\.recvault\.sync\.[a-z0-9-]+$/);
    const args = [...dict.ProgramArguments!.children];
    expect(args.every((a) => a.tagName === 'string')).toBe(true);
    expect(args.map((a) => a.textContent)).toEqual(e.command);
    expect(e.command).toContain('R&D <main>');
    expect(dict.StartInterval!.tagName).toBe('integer');
    expect(dict.StartInterval!.textContent).toBe('21600');
  });

  it('daily at 02:30: StartCalendarInterval with Hour 2 and Minute 30', () => {
    const dict = plist(entries({ dailyAt: '02:30' }).launchdPlist);
    const when = dictOf(dict.StartCalendarInterval!);
    expect(
      Object.fromEntries(Object.entries(when).map(([k, v]) => [k, [v.tagName, v.textContent]])),
    ).toEqual({
      Hour: ['integer', '2'],
      Minute: ['integer', '30'],
    });
  });
});

describe('schedule print: Windows Task Scheduler', () => {
  /** How the Windows C runtime splits a command line into argv (the /TR value's words). */
  function windowsArgv(line: string): string[] {
    const words: string[] = [];
    let word = '';
    let quoted = false;
    let started = false;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\' && line[i + 1] === '"') {
        word += '"';
        i++;
        started = true;
      } else if (c === '"') {
        quoted = !quoted;
        started = true;
      } else if (c === ' ' && !quoted) {
        if (started) words.push(word);
        word = '';
        started = false;
      } else {
        word += c;
        started = true;
      }
    }
    if (started) words.push(word);
    return words;
  }

  function options(argv: string[]): Map<string, string | true> {
    expect(argv[0]).toBe('schtasks');
    expect(argv[1]).toBe('/Create');
    const map = new Map<string, string | true>();
    for (let i = 2; i < argv.length; i++) {
      const flag = argv[i]!;
      expect(flag).toMatch(/^\/[A-Z]+$/);
      if (flag === '/F') map.set(flag, true);
      else map.set(flag, argv[++i]!);
    }
    return map;
  }

  it('every 6h: /SC HOURLY /MO 6 with a start time; /TR runs the same argv', () => {
    const e = entries({ everyHours: 6 });
    const o = options(e.schtasks);
    expect(o.get('/SC')).toBe('HOURLY');
    expect(o.get('/MO')).toBe('6');
    expect(o.get('/ST')).toMatch(/^00:[0-5]\d$/);
    expect(o.get('/TN')).toMatch(/^Recvault\\sync-prod-envoy$/);
    expect(o.get('/F')).toBe(true);
    expect(windowsArgv(o.get('/TR') as string)).toEqual(e.command);
    expect((o.get('/TR') as string).length).toBeLessThanOrEqual(261);
  });

  it('daily at 02:30 and every 48h: /SC DAILY (with /MO 2 for every other day)', () => {
    const daily = options(entries({ dailyAt: '02:30' }).schtasks);
    expect([daily.get('/SC'), daily.get('/ST'), daily.has('/MO')]).toEqual([
      'DAILY',
      '02:30',
      false,
    ]);
    const twoDays = options(entries({ everyHours: 48 }).schtasks);
    expect([twoDays.get('/SC'), twoDays.get('/MO')]).toEqual(['DAILY', '2']);
  });
});
