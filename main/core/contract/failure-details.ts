// How a failure's message is laid out: a plain sentence first, then the technical details.
/**
 * Messages are for the person reading the Sync screen: what failed (the session, call or
 * recording by its id), why in plain words, and the next step, first; the technical part
 * (code, HTTP status, endpoint, request id) after DETAILS_MARK, which the app shows as a
 * "Details" disclosure and the CLI prints as it is.
 */
export const DETAILS_MARK = ' Details: ';

/** Joins the plain sentence and the technical part as DETAILS_MARK describes. */
export function withDetails(sentence: string, details: readonly (string | null | false)[]): string {
  const parts = details.filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? sentence : `${sentence}${DETAILS_MARK}${parts.join('; ')}.`;
}

/** A message cut at DETAILS_MARK: the sentence to show, and the details for a disclosure. */
export function splitDetails(message: string): { text: string; details: string | null } {
  const at = message.indexOf(DETAILS_MARK);
  if (at < 0) return { text: message, details: null };
  return {
    text: message.slice(0, at),
    details: message.slice(at + DETAILS_MARK.length).replace(/\.$/, '') || null,
  };
}
