import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { osUserName } from '../../../main/core/audit/os-user.ts';

const throws = () => {
  throw new Error('ENOENT: no such file or directory, uv_os_get_passwd');
};

describe('the OS user named in the audit log', () => {
  it('is the account running the engine', () => {
    expect(osUserName()).toBe(os.userInfo().username);
    expect(osUserName({ userInfo: () => ({ username: 'alice' }) })).toBe('alice');
  });

  it('falls back to the login variables, then the uid, when the system has no name for it', () => {
    expect(osUserName({ userInfo: throws, env: { USER: 'bob' } })).toBe('bob');
    expect(osUserName({ userInfo: throws, env: { USERNAME: 'CORP\\carol' } })).toBe('CORP\\carol');
    expect(osUserName({ userInfo: throws, env: {}, uid: () => 1001 })).toBe('uid 1001');
    expect(osUserName({ userInfo: throws, env: {}, uid: () => null })).toBe('unknown user');
  });
});
