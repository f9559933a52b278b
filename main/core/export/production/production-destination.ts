// Where a production may go, checked before anything is written: load files are added beside
// the produced files, which a plain zip (already closed by the conversion engine) cannot take;
// the sec-audio profile is a zip by definition.
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../app-error.ts';
import type { ExportOptions } from '../../contract/export-options.ts';
import type { DestinationSpec } from '../../convert/index.ts';
import { productionFileNames } from './write-production.ts';

export function checkProductionDestination(
  options: ExportOptions,
  destination: DestinationSpec,
): void {
  if (options.profile === 'sec-audio' && destination.kind !== 'zip') {
    throw new AppError(
      'invalid_arguments',
      'The sec-audio profile writes a .zip: give a zip file.',
    );
  }
  const names = productionFileNames(options);
  if (names.length === 0) return;
  if (destination.kind === 'zip' && options.package !== 'bag') {
    throw new AppError(
      'invalid_arguments',
      'Load files go in a folder or in a bag (--bag), not in a plain zip.',
    );
  }
  if (destination.kind === 'folder' && options.package !== 'bag') {
    const taken = names.filter((name) => fs.existsSync(path.join(destination.path, name)));
    if (taken.length) {
      throw new AppError(
        'conflict',
        `Export refused: ${destination.path} already contains ${taken.join(', ')}.`,
      );
    }
  }
}
