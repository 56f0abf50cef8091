/**
 * The first profile a fresh page shows: the pipeline worker starts cold, then profiles the sample (and
 * a picked file after it). 1.5–2.5 s on an idle 2-core machine; CI, busy, has gone past Playwright's
 * default 5 s, so every first wait for it gets this.
 */
export const COLD_PROFILE_MS = 30_000;
