/** Bad usage or configuration: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT_OK = 0;
export const EXIT_ITEMS_FAILED = 1;
export const EXIT_USAGE = 2;
/** Another run holds the archive (a `busy` refusal): try again later. */
export const EXIT_BUSY = 3;
