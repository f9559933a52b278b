// Who the audit log names for what a person asks of this engine: the operating-system account
// running it ("alice"), so the trail says who did it rather than a role word like "user".
import os from 'node:os';

/** What is asked of the system; injectable so the fallbacks can be tested. */
export interface OsUserSource {
  userInfo: () => { username: string };
  env: NodeJS.ProcessEnv;
  uid: () => number | null;
}

const SYSTEM_SOURCE: OsUserSource = {
  userInfo: () => os.userInfo(),
  env: process.env,
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : null),
};

/**
 * The OS user name. os.userInfo() throws where the uid has no passwd entry (containers run
 * under an arbitrary uid): then the login variables, then the numeric uid, so an entry never
 * goes unattributed.
 */
export function osUserName(source: Partial<OsUserSource> = {}): string {
  const { userInfo, env, uid } = { ...SYSTEM_SOURCE, ...source };
  try {
    const name = userInfo().username.trim();
    if (name !== '') return name;
  } catch {
    // Fall through to what the environment says.
  }
  for (const key of ['USER', 'LOGNAME', 'USERNAME'] as const) {
    const name = env[key]?.trim();
    if (name) return name;
  }
  const id = uid();
  return id === null ? 'unknown user' : `uid ${id}`;
}
