/** The index file was migrated by a newer Recvault; opening it here could corrupt it. */
export class DatabaseTooNewError extends Error {
  readonly found: number;
  readonly known: number;

  constructor(found: number, known: number) {
    super(
      `This archive's index was written by a newer Recvault (schema ${found}, this app knows ${known}). Update Recvault.`,
    );
    this.name = 'DatabaseTooNewError';
    this.found = found;
    this.known = known;
  }
}

/** A row the caller named by id does not exist. */
export class RowNotFoundError extends Error {
  readonly table: string;
  readonly id: number;

  constructor(table: string, id: number) {
    super(`No ${table} row with id ${id}.`);
    this.name = 'RowNotFoundError';
    this.table = table;
    this.id = id;
  }
}

/** Input that breaks an invariant of the index (wrong provider for an account, bad config…). */
export class IndexInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndexInputError';
  }
}
