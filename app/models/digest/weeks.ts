// ISO 8601 weeks ("2026-W48"): the digest's unit of "once". Weeks start on Monday, and week 1 is
// the week with the year's first Thursday, so 29 December can be in next year's week 1 and
// 1 January in last year's week 52 or 53. All in UTC.

import { DAY_MS, isoDay, WEEK_MS } from "#app/utils/dates.ts";

const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;

/** ISO weekday of a UTC instant: 1 = Monday … 7 = Sunday. */
export function isoWeekday(ms: number): number {
  const day = new Date(ms).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The ISO week containing the UTC instant `ms`, e.g. "2026-W48". */
export function isoWeekOf(ms: number): string {
  const date = new Date(ms);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  // The Thursday of this week decides the year.
  const thursday = midnight + (4 - isoWeekday(midnight)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / WEEK_MS) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** Monday 00:00 UTC of week 1 of an ISO year. */
function firstMonday(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - (isoWeekday(jan4) - 1) * DAY_MS;
}

/** How many ISO weeks a year has: 53 when it starts or (leap years) ends on a Thursday. */
export function weeksInYear(year: number): number {
  return (firstMonday(year + 1) - firstMonday(year)) / WEEK_MS;
}

/** Monday 00:00 UTC of a week, or null when `week` is not a real ISO week ("2026-W54", "2021-W53"). */
export function weekStart(week: string): number | null {
  const match = WEEK_PATTERN.exec(week);
  if (!match) return null;
  const year = Number(match[1]);
  const number = Number(match[2]);
  if (year < 1970 || number < 1 || number > weeksInYear(year)) return null;
  return firstMonday(year) + (number - 1) * WEEK_MS;
}

export function isIsoWeek(week: string): boolean {
  return weekStart(week) !== null;
}

/** The week `n` weeks after (or before, when negative) `week`. */
export function addWeeks(week: string, n: number): string {
  const start = weekStart(week);
  if (start === null) throw new Error(`not an ISO week: ${week}`);
  return isoWeekOf(start + n * WEEK_MS);
}

/** Whole weeks from `from` to `to` (negative when `to` is earlier). */
export function weeksBetween(from: string, to: string): number {
  const a = weekStart(from);
  const b = weekStart(to);
  if (a === null || b === null) throw new Error("not an ISO week");
  return Math.round((b - a) / WEEK_MS);
}

/** `YYYY-MM-DD` of a weekday (1 = Monday) in a week. */
export function dateInWeek(week: string, weekday: number): string {
  const start = weekStart(week);
  if (start === null) throw new Error(`not an ISO week: ${week}`);
  return isoDay(start + (weekday - 1) * DAY_MS);
}
