// The base of the errors the engine acts on by their kind (ProviderError, ArchiveError): a
// message safe to show the user, the kind that decides what happens next, and the underlying
// cause, kept for logs only.
export class KindedError<K extends string> extends Error {
  readonly kind: K;

  constructor(name: string, init: { kind: K; message: string; cause?: unknown }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = name;
    this.kind = init.kind;
  }
}
