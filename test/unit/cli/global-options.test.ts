import { describe, expect, it } from 'vitest';
import { hoistGlobalOptions } from '../../../main/cli/global-options.ts';

describe('global options before the command', () => {
  it('move behind the command, values along, --quiet taken out anywhere', () => {
    expect(hoistGlobalOptions(['--data-dir', 'D', 'account', 'list'])).toEqual({
      argv: ['account', 'list', '--data-dir', 'D'],
      quiet: false,
    });
    expect(hoistGlobalOptions(['--json', '--data-dir=D', '-q', 'sync', '--account', 'A'])).toEqual({
      argv: ['sync', '--account', 'A', '--json', '--data-dir=D'],
      quiet: true,
    });
    expect(hoistGlobalOptions(['report', '--quiet', '--csv'])).toEqual({
      argv: ['report', '--csv'],
      quiet: true,
    });
  });

  it('leave the command alone: its own options, positionals after --, help and version', () => {
    expect(hoistGlobalOptions(['export', '--zip', 'z.zip', '--', '--quiet'])).toEqual({
      argv: ['export', '--zip', 'z.zip', '--', '--quiet'],
      quiet: false,
    });
    expect(hoistGlobalOptions(['--data-dir', 'D', '--help']).argv).toEqual([
      '--help',
      '--data-dir',
      'D',
    ]);
    expect(hoistGlobalOptions(['--version']).argv).toEqual(['--version']);
    expect(hoistGlobalOptions([]).argv).toEqual([]);
  });
});
