import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { children, decodeOid, derUnsigned, readTlv, tlv, type Tlv } from './der.ts';

// RFC 3161 over HTTP (RFC 3161 §3.4): POST a DER TimeStampReq as application/timestamp-query,
// get a DER TimeStampResp back. The request carries the checkpoint's SHA-256, a nonce and
// certReq (so the token includes the TSA's certificate and `openssl ts -verify` needs only the
// CA). The reply is checked here for what the request asked (granted, same imprint, same
// nonce); its signature and certificate chain are checked by verifyTimestampToken.

const SHA256_OID = Buffer.from('608648016503040201', 'hex'); // 2.16.840.1.101.3.4.2.1
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';
const TST_INFO_OID = '1.2.840.113549.1.9.16.1.4';

const sha256AlgorithmIdentifier = (): Buffer => tlv(0x30, tlv(0x06, SHA256_OID), tlv(0x05));

export function timeStampRequest(digest: Buffer, nonce: Buffer): Buffer {
  if (digest.length !== 32) throw new Error('A timestamp request takes a SHA-256 digest.');
  return tlv(
    0x30,
    tlv(0x02, Buffer.from([1])), // version v1
    tlv(0x30, sha256AlgorithmIdentifier(), tlv(0x04, digest)), // messageImprint
    derUnsigned(nonce),
    tlv(0x01, Buffer.from([0xff])), // certReq TRUE
  );
}

export interface TstInfo {
  hashAlgorithm: string;
  hashedMessage: Buffer;
  /** GeneralizedTime as sent, e.g. 20261201140400Z. */
  genTime: string;
  /** The nonce as a DER INTEGER's content octets, or null. */
  nonce: Buffer | null;
}

export class TimestampError extends Error {}

/** Walks a TimeStampResp to its status and, when granted, its TSTInfo. */
export function parseTimeStampResponse(der: Buffer): { status: number; tstInfo: TstInfo | null } {
  try {
    const resp = readTlv(der);
    const [statusInfo, token] = children(resp);
    const status = children(statusInfo!)[0]!.value.readUIntBE(0, 1);
    if (!token) return { status, tstInfo: null };
    // ContentInfo { contentType signedData, [0] SignedData }
    const [contentType, explicit] = children(token);
    if (decodeOid(contentType!.value) !== SIGNED_DATA_OID) throw new Error('not SignedData');
    const signedData = children(explicit!)[0]!;
    // SignedData { version, digestAlgorithms, encapContentInfo, … }
    const encap = children(signedData)[2]!;
    const [eContentType, eContent] = children(encap);
    if (decodeOid(eContentType!.value) !== TST_INFO_OID) throw new Error('not a TSTInfo');
    const octets = children(eContent!)[0]!;
    return { status, tstInfo: readTstInfo(readTlv(octets.value)) };
  } catch (error) {
    throw new TimestampError(`The TSA's reply is not a TimeStampResp: ${(error as Error).message}`);
  }
}

function readTstInfo(info: Tlv): TstInfo {
  // TSTInfo { version, policy, messageImprint, serialNumber, genTime, accuracy?, ordering?, nonce?, … }
  const fields = children(info);
  const imprint = children(fields[2]!);
  const algorithm = children(imprint[0]!)[0]!;
  const rest = fields.slice(5);
  const nonce = rest.find((field) => field.tag === 0x02) ?? null;
  return {
    hashAlgorithm: decodeOid(algorithm.value),
    hashedMessage: Buffer.from(imprint[1]!.value),
    genTime: fields[4]!.value.toString('latin1'),
    nonce: nonce ? Buffer.from(nonce.value) : null,
  };
}

/** The genTime as an ISO time (UTC). */
export function genTimeIso(genTime: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(genTime);
  if (!m) return genTime;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`;
}

export interface TimestampReply {
  /** The whole DER TimeStampResp, kept as the `.tsr` file (what `openssl ts -reply` writes). */
  tsr: Buffer;
  tstInfo: TstInfo;
}

/**
 * Asks `tsaUrl` to timestamp `digest`. Throws TimestampError when the TSA cannot be reached,
 * refuses, or answers for something else.
 */
export async function requestTimestamp(
  tsaUrl: string,
  digest: Buffer,
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<TimestampReply> {
  const nonce = randomBytes(8);
  const body = timeStampRequest(digest, nonce);
  let reply: Response;
  try {
    reply = await (options.fetch ?? fetch)(tsaUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: new Uint8Array(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    });
  } catch (error) {
    throw new TimestampError(`The TSA at ${tsaUrl} cannot be reached: ${(error as Error).message}`);
  }
  if (!reply.ok) throw new TimestampError(`The TSA at ${tsaUrl} answered HTTP ${reply.status}.`);
  const tsr = Buffer.from(await reply.arrayBuffer());
  const { status, tstInfo } = parseTimeStampResponse(tsr);
  if ((status !== 0 && status !== 1) || !tstInfo) {
    throw new TimestampError(`The TSA at ${tsaUrl} refused the request (status ${status}).`);
  }
  if (!tstInfo.hashedMessage.equals(digest)) {
    throw new TimestampError(`The TSA at ${tsaUrl} timestamped a different digest.`);
  }
  const sentNonce = readTlv(derUnsigned(nonce)).value;
  if (!tstInfo.nonce || !tstInfo.nonce.equals(sentNonce)) {
    throw new TimestampError(`The TSA at ${tsaUrl} did not answer this request (nonce).`);
  }
  return { tsr, tstInfo };
}

export interface TokenCheck {
  ok: boolean;
  /** genTime of the token, when readable. */
  time: string | null;
  problem: string | null;
}

const run = promisify(execFile);

/**
 * Checks a `.tsr` against the checkpoint bytes it stamps: in code, that it was granted and its
 * message imprint is their SHA-256; then, with the user's TSA CA certificate, its signature and
 * certificate chain with `openssl ts -verify` (CMS signature and X.509 path validation are
 * what OpenSSL already does well; no JS library for them is a dependency of this project).
 */
export async function verifyTimestampToken(
  tsr: Buffer,
  signedBytes: Buffer,
  digest: Buffer,
  caFile: string | null,
): Promise<TokenCheck> {
  let tstInfo: TstInfo | null;
  try {
    const parsed = parseTimeStampResponse(tsr);
    tstInfo = parsed.tstInfo;
    if (!tstInfo) return { ok: false, time: null, problem: 'The timestamp token was refused.' };
  } catch (error) {
    return { ok: false, time: null, problem: (error as Error).message };
  }
  const time = genTimeIso(tstInfo.genTime);
  if (!tstInfo.hashedMessage.equals(digest)) {
    return { ok: false, time, problem: 'The timestamp is for other bytes than the checkpoint.' };
  }
  if (caFile === null) return { ok: true, time, problem: null };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recvault-tsr-'));
  try {
    fs.writeFileSync(path.join(dir, 'token.tsr'), tsr);
    fs.writeFileSync(path.join(dir, 'data'), signedBytes);
    await run('openssl', [
      'ts',
      '-verify',
      '-data',
      path.join(dir, 'data'),
      '-in',
      path.join(dir, 'token.tsr'),
      '-CAfile',
      caFile,
    ]);
    return { ok: true, time, problem: null };
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n').at(-1) ?? '';
    return {
      ok: false,
      time,
      problem: `The timestamp does not verify against ${caFile}${detail ? `: ${detail}` : '.'}`,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
