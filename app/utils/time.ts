// The one place that converts between wall-clock times and instants and reads time-zone offsets,
// all through Temporal (temporal-polyfill) so daylight-saving gaps and repeats follow the spec
// instead of hand-made offset arithmetic. Plain functions: pages in the browser use them too.
//
// Clock changes: a wall time that does not exist (a gap, e.g. 00:00 on 2026-09-06 in
// America/Santiago) moves forward by the gap's length (00:00 → 01:00 the same day); a wall time
// that happens twice (a repeat) is its earlier instant. This is Temporal's "compatible"
// disambiguation, the same rule as RFC 5545 and java.time.
import { Temporal } from "temporal-polyfill";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "#app/utils/dates.ts";

/**
 * A time zone as Temporal names it (case-normalised, e.g. "europe/paris" → "Europe/Paris"), or null
 * for anything that is not a named zone Temporal knows. Legacy aliases stay as given
 * (Asia/Calcutta and Asia/Kolkata are both valid and compare equal in Temporal); fixed offsets
 * such as "+05:30" are refused, since people and deadlines live in named zones.
 */
export function timeZoneId(zone: string | null | undefined): string | null {
  if (!zone || zone.length > 64 || !/^[A-Za-z]/.test(zone)) return null;
  try {
    return Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(zone).timeZoneId;
  } catch {
    return null;
  }
}

export function isTimeZone(zone: string): boolean {
  return timeZoneId(zone) !== null;
}

/** The zone's offset from UTC at `instant`, in minutes (positive east of Greenwich); null for an unknown zone. */
export function offsetMinutes(zone: string | null | undefined, instant: number): number | null {
  const id = timeZoneId(zone);
  if (!id) return null;
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(id).offsetNanoseconds / 1e6 / MINUTE_MS;
}

/** The calendar day ("YYYY-MM-DD") that `instant` falls on in `zone`. */
export function localDay(instant: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone).toPlainDate().toString();
}

/**
 * The instant of the wall-clock time `ms` after midnight of `day` ("YYYY-MM-DD") in `zone`
 * (a named zone or a fixed offset such as "-12:00"). Gaps and repeats as described above.
 */
export function wallTimeToUtc(day: string, ms: number, zone: string): number {
  return Temporal.PlainDate.from(day)
    .toPlainDateTime()
    .add({ milliseconds: ms })
    .toZonedDateTime(zone, { disambiguation: "compatible" }).epochMilliseconds;
}

/** The first instant of `day` in `zone` (01:00 where the day starts with a gap at midnight). */
export function startOfDay(day: string, zone: string): number {
  return Temporal.PlainDate.from(day).toZonedDateTime(zone).epochMilliseconds;
}

/** The last millisecond of `day` in `zone`: right before the next day starts, however long the day is. */
export function endOfDay(day: string, zone: string): number {
  return startOfDay(Temporal.PlainDate.from(day).add({ days: 1 }).toString(), zone) - 1;
}

/** A wall-clock view of `instant` at a fixed offset (e.g. "-12:00" for Anywhere on Earth), for formatting. */
export function formatAtOffset(instant: number, offset: string, options: Intl.DateTimeFormatOptions): string {
  return Temporal.Instant.fromEpochMilliseconds(instant)
    .toZonedDateTimeISO(offset)
    .toPlainDateTime()
    .toLocaleString("en-GB", options);
}

/**
 * Which UTC slots (each `slotMinutes` long) the local hours `fromHour`..`toHour` cover in `zone`,
 * for `days` consecutive local days starting with the day of `at`. Slot i covers the UTC time
 * i·slotMinutes after the start of a UTC day (days = 1) or of a 7-day cycle (days = 7), so two
 * people's arrays line up slot by slot. `toHour` < `fromHour` wraps past midnight; equal hours
 * cover nothing. Each local day is converted on its own, so a clock change inside it counts.
 * Null for an unknown zone.
 */
export function localHoursInUtc(
  zone: string | null | undefined,
  fromHour: number,
  toHour: number,
  at: number,
  { slotMinutes, days }: { slotMinutes: number; days: 1 | 7 },
): Uint8Array | null {
  const id = timeZoneId(zone);
  if (!id) return null;
  const slotMs = slotMinutes * MINUTE_MS;
  const period = days * DAY_MS;
  const slots = new Uint8Array(period / slotMs);
  if (fromHour === toHour) return slots;
  const first = Temporal.PlainDate.from(localDay(at, id));
  for (let d = 0; d < days; d++) {
    const day = first.add({ days: d }).toString();
    const start = wallTimeToUtc(day, fromHour * HOUR_MS, id);
    const end = wallTimeToUtc(day, (toHour < fromHour ? toHour + 24 : toHour) * HOUR_MS, id);
    for (let t = start; t < end; t += slotMs) slots[Math.floor((((t % period) + period) % period) / slotMs)] = 1;
  }
  return slots;
}

/** Hours two slot arrays from `localHoursInUtc` (same slot length) have in common. */
export function sharedHours(x: Uint8Array, y: Uint8Array, slotMinutes: number): number {
  let n = 0;
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] && y[i]) n++;
  return (n * slotMinutes) / 60;
}
