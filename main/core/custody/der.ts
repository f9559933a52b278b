// The little DER RFC 3161 needs: building a TimeStampReq and walking a TimeStampResp to its
// TSTInfo. Not a general ASN.1 library: definite lengths only, which DER guarantees.

export interface Tlv {
  tag: number;
  /** The content octets. */
  value: Buffer;
  /** The whole element (tag, length and content). */
  raw: Buffer;
}

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const value = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(value.length), value]);
}

/** A non-negative INTEGER from big-endian bytes (a 0x00 is prefixed when the top bit is set). */
export function derUnsigned(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  const trimmed = bytes.subarray(start);
  return tlv(
    0x02,
    (trimmed[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed,
  );
}

/** The element at `offset` of `data`. */
export function readTlv(data: Buffer, offset = 0): Tlv {
  if (offset + 2 > data.length) throw new Error('DER: truncated');
  const tag = data[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: long tags are not used here');
  let length = data[offset + 1]!;
  let header = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + data[offset + 2 + i]!;
    header += count;
  }
  const end = offset + header + length;
  if (end > data.length) throw new Error('DER: truncated');
  return { tag, value: data.subarray(offset + header, end), raw: data.subarray(offset, end) };
}

/** The elements inside a constructed element, in order. */
export function children(element: Tlv): Tlv[] {
  const items: Tlv[] = [];
  for (let offset = 0; offset < element.value.length;) {
    const item = readTlv(element.value, offset);
    items.push(item);
    offset += item.raw.length;
  }
  return items;
}

export function decodeOid(value: Buffer): string {
  const parts = [Math.floor(value[0]! / 40), value[0]! % 40];
  let n = 0;
  for (const byte of value.subarray(1)) {
    n = n * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}
