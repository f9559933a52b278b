/** The longest id list the import takes (a pasted or loaded CSV), in characters. */
export const MAX_ID_IMPORT_CHARS = 20_000_000;

/**
 * The largest request message a transport must carry whole: the id import at its limit, every
 * character JSON-escaped at its longest (a control character is six: \u0001), plus the rest
 * of the message. A smaller limit drops the connection on a valid request.
 */
export const MAX_REQUEST_MESSAGE_BYTES = MAX_ID_IMPORT_CHARS * 6 + 1024 * 1024;
