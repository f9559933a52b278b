/** An id a provider could have issued: letters, digits and a few separators, no spaces. */
export const PLAUSIBLE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,199}$/;
