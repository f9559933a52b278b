// A throwaway RFC 3161 time-stamping authority made with `openssl ts -reply`, for tests: a CA,
// a TSA certificate (timeStamping only) signed by it, and a function that stamps given bytes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface LocalTsa {
  /** The CA certificate a recipient verifies tokens against (openssl ts -verify -CAfile). */
  caFile: string;
  /** A DER TimeStampResp over SHA-256 of `data`. */
  stamp(data: Buffer): Buffer;
}

export function makeLocalTsa(dir: string): LocalTsa {
  const at = (name: string) => path.join(dir, name);
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
    '/CN=Test TSA CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  ssl('req', '-new', ...ec, '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', '/CN=Test TSA');
  fs.writeFileSync(
    at('tsa.ext'),
    'extendedKeyUsage=critical,timeStamping\nbasicConstraints=CA:FALSE\n',
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
  fs.writeFileSync(at('serial'), '01\n');
  fs.writeFileSync(
    at('tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa_config',
      '[ tsa_config ]',
      `serial = ${at('serial')}`,
      `signer_cert = ${at('tsa.pem')}`,
      `signer_key = ${at('tsa.key')}`,
      `certs = ${at('tsa.pem')}`,
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256',
      'ess_cert_id_alg = sha256',
      'accuracy = secs:1',
      '',
    ].join('\n'),
  );
  let n = 0;
  return {
    caFile: at('ca.pem'),
    stamp(data) {
      n++;
      fs.writeFileSync(at(`data${n}`), data);
      ssl('ts', '-query', '-data', `data${n}`, '-sha256', '-cert', '-out', `q${n}.tsq`);
      ssl('ts', '-reply', '-config', 'tsa.cnf', '-queryfile', `q${n}.tsq`, '-out', `r${n}.tsr`);
      return fs.readFileSync(at(`r${n}.tsr`));
    },
  };
}
