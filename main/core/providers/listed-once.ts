// Listings are read page by page (and Kore.ai's in date windows), and an item can appear on two
// pages when the list changes while it is read, or where windows meet: each is yielded once.

/** A check that answers true the first time it sees an id, false ever after. */
export function firstSighting(): (id: string) => boolean {
  const seen = new Set<string>();
  return (id) => {
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  };
}
