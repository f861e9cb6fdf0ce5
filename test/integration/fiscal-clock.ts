// Instants relative to now, in the forms the fiscal simulators' state patches take.
export const DAY = 86_400_000;

/** `ms` before now, as an ISO instant (ATOL). */
export const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/** The date `days` from now, YYYY-MM-DD in UTC (ATOL). */
export const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** The register's local wall-clock time at `ms`, without a zone (Shtrih-M). */
export const localIso = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
