// Independent readers for the load files, written from the conventions (not from Recvault's
// writer): a Concordance DAT reader and a small well-formedness-checking XML parser.

export interface DatTable {
  encoding: 'utf-8' | 'utf-16le';
  header: string[];
  rows: Record<string, string>[];
}

const FIELD = 0x14;
const QUOTE = 0xfe;

/** Reads a DAT: BOM, CRLF rows, every field þ-qualified (þþ inside is one þ), 0x14 between. */
export function readDat(bytes: Buffer): DatTable {
  let encoding: DatTable['encoding'];
  let text: string;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    encoding = 'utf-8';
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    encoding = 'utf-16le';
    text = new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
  } else {
    throw new Error('no byte order mark');
  }
  if (!text.endsWith('\r\n')) throw new Error('last row not ended by CRLF');
  const records: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const fields: string[] = [];
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) throw new Error(`field not qualified at ${i}`);
      i++;
      let value = '';
      for (;;) {
        if (i >= text.length) throw new Error('unterminated field');
        if (text.charCodeAt(i) === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            value += text[i];
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\r' || text[i] === '\n')
          throw new Error(`raw line break in a field at ${i}`);
        value += text[i];
        i++;
      }
      fields.push(value);
      if (text.charCodeAt(i) === FIELD) {
        i++;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected 0x14 or CRLF at ${i}`);
    }
    records.push(fields);
  }
  const [header, ...rest] = records;
  if (!header) throw new Error('no header row');
  const rows = rest.map((fields) => {
    if (fields.length !== header.length) throw new Error('row width differs from the header');
    return Object.fromEntries(header.map((name, k) => [name, fields[k]!]));
  });
  return { encoding, header, rows };
}

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
}

/** Parses the XML subset load files use (prolog, elements, attributes, entities), strictly. */
export function parseXml(text: string): XmlElement {
  const prolog = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(text);
  if (!prolog) throw new Error('no XML declaration');
  let i = prolog[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<]*")*)\s*(\/?)>/y;
  while (i < text.length) {
    const ws = /\s*/y;
    ws.lastIndex = i;
    ws.exec(text);
    i = ws.lastIndex;
    if (i >= text.length) break;
    token.lastIndex = i;
    const m = token.exec(text);
    if (!m) throw new Error(`not well-formed at ${i}: ${text.slice(i, i + 40)}`);
    i = token.lastIndex;
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([A-Za-z_][\w.-]*)="([^"]*)"/g)) {
      if (a[1]! in attributes) throw new Error(`attribute ${a[1]} twice`);
      attributes[a[1]!] = unescape(a[2]!);
    }
    const element: XmlElement = { name: name!, attributes, children: [] };
    if (stack.length) stack.at(-1)!.children.push(element);
    else if (root) throw new Error('two root elements');
    else root = element;
    if (!selfClosing) stack.push(element);
  }
  if (stack.length || !root) throw new Error('unclosed elements');
  return root;
}

function unescape(value: string): string {
  return value.replace(/&(#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);|&/g, (all, ref?: string) => {
    if (ref === undefined) throw new Error('a bare & in an attribute');
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[ref]!;
  });
}

export function children(parent: XmlElement, name: string): XmlElement[] {
  return parent.children.filter((c) => c.name === name);
}

export function only(parent: XmlElement, name: string): XmlElement {
  const found = children(parent, name);
  if (found.length !== 1) throw new Error(`${parent.name} has ${found.length} <${name}>`);
  return found[0]!;
}
