import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArchiveError } from '../../../main/core/archive/errors.ts';
import { resolveInsideArchive } from '../../../main/core/archive/inside-archive.ts';
import { removeDir, makeTempDir } from '../../support/tmp.ts';

let base: string;
let root: string;
let outside: string;

beforeEach(async () => {
  base = await makeTempDir('archive');
  root = path.join(base, 'archive');
  outside = path.join(base, 'outside');
  await mkdir(path.join(root, 'kallglot', 'a'), { recursive: true });
  await mkdir(outside);
  await writeFile(path.join(outside, 'secret.txt'), 'x');
});
afterEach(async () => removeDir(base));

async function kindOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(ArchiveError);
    return (err as ArchiveError).kind;
  }
}

describe('resolveInsideArchive', () => {
  it('resolves normal paths, existing or not', async () => {
    expect(await resolveInsideArchive(root, 'kallglot/a/r.mp3')).toBe(
      path.join(root, 'kallglot/a/r.mp3'),
    );
    expect(await resolveInsideArchive(root, 'envoy/new/dir/x.wav')).toBe(
      path.join(root, 'envoy/new/dir/x.wav'),
    );
  });

  it('rejects lexical escapes', async () => {
    for (const bad of [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'C:\\Windows',
      'C:/x',
      'a\\..\\..\\x',
      'a//b',
      './a',
      'a/.',
      '',
      'a\0b',
      '..',
    ]) {
      expect(await kindOf(resolveInsideArchive(root, bad)), bad).toBe('unsafe_path');
    }
  });

  it('rejects symlinks leading outside (folder, file, dangling) and allows ones inside', async () => {
    await symlink(outside, path.join(root, 'kallglot', 'evil'));
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'kallglot', 'a', 'leak.mp3'));
    await symlink(
      path.join(outside, 'later.txt'),
      path.join(root, 'kallglot', 'a', 'dangling.mp3'),
    );
    await symlink(path.join(root, 'kallglot', 'a'), path.join(root, 'kallglot', 'alias'));
    expect(await kindOf(resolveInsideArchive(root, 'kallglot/evil/secret.txt'))).toBe(
      'unsafe_path',
    );
    expect(await kindOf(resolveInsideArchive(root, 'kallglot/evil/new/x.mp3'))).toBe('unsafe_path');
    expect(await kindOf(resolveInsideArchive(root, 'kallglot/a/leak.mp3'))).toBe('unsafe_path');
    expect(await kindOf(resolveInsideArchive(root, 'kallglot/a/dangling.mp3'))).toBe('unsafe_path');
    expect(await resolveInsideArchive(root, 'kallglot/alias/x.mp3')).toBe(
      path.join(root, 'kallglot/a/x.mp3'),
    );
  });

  it('reports a vanished root as archive_missing', async () => {
    await removeDir(root);
    expect(await kindOf(resolveInsideArchive(root, 'kallglot/a/r.mp3'))).toBe('archive_missing');
  });
});
