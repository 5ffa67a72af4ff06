/**
 * partnerUserRef: 1–128 characters of A–Z a–z 0–9 and `. _ : @ -`, starting with a letter or digit. It travels
 * in URL paths (/users/:ref), so nothing that needs escaping, no spaces, no dot-only segments, ASCII only.
 */
export const PARTNER_USER_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;

export const PARTNER_USER_REF_RULE =
  'must be 1-128 characters of A-Z a-z 0-9 . _ : @ - starting with a letter or digit';
