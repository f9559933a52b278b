import type { Db } from './sqlite.ts';

/** One schema step. `up` runs inside a transaction; it must not change PRAGMAs that cannot. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
