// The one home of durations and of the date formats people read. Plain Intl, no Temporal, so pages
// and components can import it without pulling temporal-polyfill into the browser bundle; zone
// conversions live in app/utils/time.ts. Every format is en-GB in UTC unless its name says otherwise.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * A formatter made on first use: the first en-GB formatter a process makes loads ICU's data for
 * the locale (about 10 ms), which the server's start does not need (docs/performance.md).
 */
function formatter(options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let made: Intl.DateTimeFormat | undefined;
  return () => (made ??= new Intl.DateTimeFormat("en-GB", options));
}

const longDate = formatter({ dateStyle: "long", timeZone: "UTC" });
const mediumDate = formatter({ dateStyle: "medium", timeZone: "UTC" });
const dateTime = formatter({ dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const month = formatter({ month: "long", year: "numeric", timeZone: "UTC" });

/** `YYYY-MM-DD` of an instant, in UTC. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** "3 March 2026": a date in running text (terms, profiles, notices). */
export function formatDate(ms: number | Date): string {
  return longDate().format(ms);
}

/** "3 Mar 2026": a date in a table or a list. */
export function formatShortDate(ms: number | Date): string {
  return mediumDate().format(ms);
}

/** "3 Mar 2026, 14:05 UTC": when something happened, to the minute. */
export function formatDateTime(ms: number | Date): string {
  return `${dateTime().format(ms)} UTC`;
}

/** "March 2026". */
export function formatMonth(ms: number | Date): string {
  return month().format(ms);
}
