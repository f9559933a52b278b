import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HERE = path.join(import.meta.dirname, 'ceph');

/** A throwaway single-node Ceph cluster with a radosgw on 127.0.0.1 (test/support/ceph/). */
export interface CephS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  dir: string;
  /** How long ceph-up.sh took, and the daemons' resident memory once ready. */
  startMs: number;
  rssMiB: number;
  stop(): Promise<void>;
}

/** A port nobody listens on now (the kernel's choice); ceph-up.sh refuses one taken since. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function rssMiB(dir: string): number {
  let kb = 0;
  for (const name of ['mon.a', 'osd.0', 'rgw']) {
    try {
      const pid = fs.readFileSync(path.join(dir, 'run', `${name}.spid`), 'utf8').trim();
      const line = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(line?.[1] ?? 0);
    } catch {
      // a daemon gone already counts nothing
    }
  }
  return Math.round(kb / 1024);
}

/**
 * Starts the cluster. Memstore, not bluestore: ready in about 3 s instead of 5-6 s and no
 * 4 GiB block file on a disk eight helpers share; the tests' objects are a few MiB, and the
 * cluster is thrown away after the file anyway.
 */
export async function startCephS3(): Promise<CephS3> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const env = {
      ...process.env,
      RGW_PORT: String(await freePort()),
      MON_PORT: String(await freePort()),
      OBJECTSTORE: process.env.RECVAULT_CEPH_OBJECTSTORE ?? 'memstore',
      OSD_SIZE_GB: process.env.RECVAULT_CEPH_OSD_GB ?? '2',
      UP_TIMEOUT: '90',
      DOWN_GRACE: '0',
    };
    const started = performance.now();
    try {
      const { stdout } = await run(path.join(HERE, 'ceph-up.sh'), [], { env, timeout: 180_000 });
      const vars = Object.fromEntries(
        [...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]),
      );
      const dir = vars.CEPH_S3_DIR!;
      return {
        endpoint: vars.S3_ENDPOINT!,
        accessKeyId: vars.AWS_ACCESS_KEY_ID!,
        secretAccessKey: vars.AWS_SECRET_ACCESS_KEY!,
        region: vars.AWS_REGION!,
        dir,
        startMs: Math.round(performance.now() - started),
        rssMiB: rssMiB(dir),
        stop: async () => {
          await run(path.join(HERE, 'ceph-down.sh'), [dir], { env, timeout: 60_000 });
        },
      };
    } catch (error) {
      lastError = error; // most likely a port taken between the check and the bind: again
    }
  }
  throw new Error(`Ceph RGW did not start: ${String(lastError)}`);
}
