// Reads what an RFC 3161 TimeStampResp says it stamped: its status, the TSTInfo's message
// imprint (hash algorithm and hash) and genTime. A minimal DER walk, enough to compare the
// imprint with the checkpoint's SHA-256 without a certificate library; the TSA's signature and
// certificate chain are `openssl ts -verify`'s job (custody/README.txt).

interface Tlv {
  tag: number;
  /** Content bytes. */
  value: Buffer;
  /** Offset just past this element. */
  end: number;
}

function readTlv(buf: Buffer, offset: number): Tlv {
  const tag = buf[offset];
  let lengthByte = buf[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new Error('truncated DER');
  let pos = offset + 2;
  let length = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) {
      lengthByte = buf[pos++];
      if (lengthByte === undefined) throw new Error('truncated DER');
      length = length * 256 + lengthByte;
    }
  }
  const end = pos + length;
  if (end > buf.length) throw new Error('truncated DER');
  return { tag, value: buf.subarray(pos, end), end };
}

/** The elements inside a constructed value. */
function children(value: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < value.length;) {
    const tlv = readTlv(value, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

function oid(value: Buffer): string {
  const first = value[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let n = 0;
  for (const byte of value.subarray(1)) {
    n = n * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

export interface TsrImprint {
  /** PKIStatus: 0 granted, 1 grantedWithMods; anything else is a refusal. */
  status: number;
  hashAlgorithm: 'sha256' | string;
  hashedMessage: string;
  genTime: string | null;
}

function at(list: Tlv[], index: number, what: string): Tlv {
  const tlv = list[index];
  if (!tlv) throw new Error(`no ${what}`);
  return tlv;
}

export function readTsrImprint(der: Buffer): TsrImprint {
  const response = children(readTlv(der, 0).value);
  const statusInfo = children(at(response, 0, 'status').value);
  const status = at(statusInfo, 0, 'status').value.readUIntBE(0, 1);
  // timeStampToken: ContentInfo { contentType, [0] SignedData }
  const contentInfo = children(at(response, 1, 'timeStampToken').value);
  const signedData = children(
    at(children(at(contentInfo, 1, 'content').value), 0, 'SignedData').value,
  );
  // SignedData { version, digestAlgorithms, encapContentInfo { eContentType, [0] OCTET STRING } }
  const encap = children(at(signedData, 2, 'encapContentInfo').value);
  const octets = at(children(at(encap, 1, 'eContent').value), 0, 'TSTInfo');
  const tstInfo = children(readTlv(octets.value, 0).value);
  // TSTInfo { version, policy, messageImprint { hashAlgorithm, hashedMessage }, serial, genTime }
  const imprint = children(at(tstInfo, 2, 'messageImprint').value);
  const algorithm = children(at(imprint, 0, 'hashAlgorithm').value);
  const algorithmOid = oid(at(algorithm, 0, 'algorithm').value);
  const genTime = tstInfo[4]?.tag === 0x18 ? tstInfo[4].value.toString('latin1') : null;
  if (at(imprint, 0, 'hashAlgorithm').tag !== SEQUENCE) throw new Error('bad messageImprint');
  return {
    status,
    hashAlgorithm: algorithmOid === OID_SHA256 ? 'sha256' : algorithmOid,
    hashedMessage: at(imprint, 1, 'hashedMessage').value.toString('hex'),
    genTime,
  };
}
