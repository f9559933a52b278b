// A throwaway RFC 3161 time-stamping authority without a server, for tests that stamp bytes
// directly: the certificates of test/support/tsa.ts and `openssl ts -query` / `-reply`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { makeTsaCertificates } from '../../support/tsa.ts';

export interface LocalTsa {
  /** The CA certificate a recipient verifies tokens against (openssl ts -verify -CAfile). */
  caFile: string;
  /** A DER TimeStampResp over SHA-256 of `data`. */
  stamp(data: Buffer): Buffer;
}

export function makeLocalTsa(dir: string): LocalTsa {
  makeTsaCertificates(dir);
  const at = (name: string) => path.join(dir, name);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
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
