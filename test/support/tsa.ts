// A throwaway RFC 3161 time-stamping authority on 127.0.0.1 for tests: a CA and a TSA
// certificate (extendedKeyUsage critical timeStamping) made with openssl in a temp folder, and a
// node:http server that answers each TimeStampReq with `openssl ts -reply`. `down` makes it
// answer 503, as a TSA that is unavailable does.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LocalTsaServer {
  url: string;
  /** The CA certificate tokens chain to (`openssl ts -verify -CAfile`). */
  caFile: string;
  dir: string;
  /** Requests answered with a token. */
  stamped: number;
  down: boolean;
  close(): Promise<void>;
}

/** A CA, a TSA certificate signed by it and `tsa.cnf` for `openssl ts -reply`, in `dir`. */
export function makeTsaCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=Recvault test TSA CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl(
    'req',
    '-new',
    ...ec,
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=Recvault test TSA',
  );
  fs.writeFileSync(
    path.join(dir, 'tsa.ext'),
    'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'tsa.pem',
    '-days',
    '2',
    '-extfile',
    'tsa.ext',
  );
  fs.writeFileSync(path.join(dir, 'serial'), '01\n');
  fs.writeFileSync(
    path.join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `dir = ${dir}`,
      `serial = ${path.join(dir, 'serial')}`,
      `signer_cert = ${path.join(dir, 'tsa.pem')}`,
      `signer_key = ${path.join(dir, 'tsa.key')}`,
      `certs = ${path.join(dir, 'tsa.pem')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256',
      'ess_cert_id_alg = sha256',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      '',
    ].join('\n'),
  );
}

/** Starts the TSA in `dir` (a fresh temp folder of the test's). */
export async function startLocalTsa(dir: string): Promise<LocalTsaServer> {
  makeTsaCertificates(dir);
  let n = 0;
  const state = { stamped: 0, down: false };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (state.down || req.method !== 'POST') {
        res.writeHead(503).end();
        return;
      }
      n += 1;
      const query = path.join(dir, `q${n}.tsq`);
      const reply = path.join(dir, `r${n}.tsr`);
      fs.writeFileSync(query, Buffer.concat(chunks));
      run('openssl', [
        'ts',
        '-reply',
        '-config',
        path.join(dir, 'tsa.cnf'),
        '-queryfile',
        query,
        '-out',
        reply,
      ])
        .then(() => {
          state.stamped += 1;
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(fs.readFileSync(reply));
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caFile: path.join(dir, 'ca.pem'),
    dir,
    get stamped() {
      return state.stamped;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  } as LocalTsaServer;
}

/** `openssl ts -verify` of a token over `dataFile`: its exit code and output. */
export async function opensslTsVerify(
  dataFile: string,
  tsrFile: string,
  caFile: string,
): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('openssl', [
      'ts',
      '-verify',
      '-data',
      dataFile,
      '-in',
      tsrFile,
      '-CAfile',
      caFile,
    ]);
    return { ok: true, output: `${stdout}${stderr}` };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
