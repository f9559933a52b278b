// Turns what a person typed into a safe FTS5 MATCH expression. Every term becomes one
// double-quoted string (embedded quotes doubled), so FTS syntax in the input — quotes, `*`,
// `-`, `NEAR(`, `AND`, `OR`, column filters — is searched for literally and can never change the
// query's meaning or make it fail to parse. Terms are ANDed.
//
// The index uses the trigram tokenizer, which matches any fragment of at least three
// characters (so "abc" finds "rec_xabcx" — prefix matching for search-as-you-type comes for
// free). Shorter terms cannot be looked up and are reported back instead of silently matching
// nothing.

export interface FtsQuery {
  /** The MATCH expression, or null when no term was long enough to search for. */
  match: string | null;
  /** Terms left out because they are shorter than three characters. */
  ignoredTerms: string[];
}

const MIN_TERM_LENGTH = 3;
const MAX_TERMS = 16;
// Characters people put in phone numbers; a term made only of these and digits is a number.
const PHONE_LIKE = /^\+?[\d\s().\-/]+$/;

export function buildFtsQuery(text: string): FtsQuery {
  const ignoredTerms: string[] = [];
  const phrases: string[] = [];
  for (const rawTerm of text.normalize('NFC').split(/\s+/)) {
    if (rawTerm.length === 0) continue;
    // "555-123-4567" is indexed as digits too; search it the same way.
    const term = PHONE_LIKE.test(rawTerm) ? rawTerm.replace(/\D/g, '') : rawTerm;
    if ([...term].length < MIN_TERM_LENGTH) {
      ignoredTerms.push(rawTerm);
      continue;
    }
    if (phrases.length < MAX_TERMS) phrases.push(`"${term.replaceAll('"', '""')}"`);
  }
  return { match: phrases.length > 0 ? phrases.join(' AND ') : null, ignoredTerms };
}
