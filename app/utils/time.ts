// The one place that converts between wall-clock times and instants and reads time-zone offsets,
// all through Temporal (temporal-polyfill) so daylight-saving gaps and repeats follow the spec
// instead of hand-made offset arithmetic. Plain functions: pages in the browser use them too.
//
// Clock changes: a wall time that does not exist (a gap, e.g. 00:00 on 2026-09-06 in
// America/Santiago) moves forward by the gap's length (00:00 → 01:00 the same day); a wall time
// that happens twice (a repeat) is its earlier instant. This is Temporal's "compatible"
// disambiguation, the same rule as RFC 5545 and java.time.
import { Temporal } from "temporal-polyfill";
import { z } from "zod";
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

/** The wall-clock time ("HH:MM", 24-hour) that `instant` shows in `zone`. */
export function localTimeOfDay(instant: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(instant)
    .toZonedDateTimeISO(zone)
    .toPlainTime()
    .toString({ smallestUnit: "minute" });
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

// ---- zone names: the one list, the one spelling, the one label --------------------------------

/**
 * Names the runtime's time-zone data (ICU, following CLDR) still treats as canonical although the
 * IANA tz database renamed them, mapped to the current IANA name. ICU keeps the old identifiers for
 * stability, so Node 20 lists "Asia/Calcutta" and resolves "Asia/Kolkata" to it; we show and store
 * the current name. This is CLDR's own `iana` mapping (common/bcp47/timezone.xml): renames only,
 * never a merge of two places into one (Europe/Amsterdam stays Europe/Amsterdam). A runtime that
 * already lists the new name needs no entry, so the table only ever shrinks in effect.
 */
export const RENAMED_TIME_ZONES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

/** The runtime's zone that a name resolves to ("US/Eastern" → "America/New_York", "Asia/Kolkata" → "Asia/Calcutta" on ICU). */
function runtimeZone(id: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: id }).resolvedOptions().timeZone;
  } catch {
    return id;
  }
}

let zoneList: readonly string[] | null = null;

/**
 * Every time zone a person can choose: the runtime's canonical IANA zones under their current names
 * (renames mapped, see RENAMED_TIME_ZONES), "UTC" first, then alphabetical. The same list on the
 * server and in the browser of the same runtime; pages get it from their loader.
 */
export function canonicalTimeZones(): readonly string[] {
  if (zoneList) return zoneList;
  const names = new Set<string>();
  for (const zone of Intl.supportedValuesOf("timeZone")) {
    const name = RENAMED_TIME_ZONES[zone] ?? zone;
    if (name !== "UTC" && timeZoneId(name)) names.add(name);
  }
  zoneList = ["UTC", ...[...names].sort()];
  return zoneList;
}

const canonicalCache = new Map<string, string | null>();

/**
 * The one spelling of a zone that Roadies shows and stores: "asia/calcutta", "Asia/Calcutta" and
 * "Asia/Kolkata" are all "Asia/Kolkata"; "US/Eastern" is "America/New_York"; "Etc/UTC" is "UTC".
 * Null for anything that is not a named zone (fixed offsets, "AoE", unknown names).
 */
export function canonicalTimeZone(zone: string | null | undefined): string | null {
  const id = timeZoneId(zone);
  if (!id) return null;
  const cached = canonicalCache.get(id);
  if (cached !== undefined) return cached;
  const listed = new Set(canonicalTimeZones());
  let name = listed.has(id) ? id : (RENAMED_TIME_ZONES[id] ?? id);
  if (!listed.has(name)) {
    const resolved = runtimeZone(id);
    name = RENAMED_TIME_ZONES[resolved] ?? resolved;
  }
  const result = timeZoneId(name) ?? id;
  if (canonicalCache.size < 2000) canonicalCache.set(id, result);
  return result;
}

/** "UTC+05:30", "UTC−03:00" (a true minus sign), "UTC±00:00" → "UTC": the offset as people read it. */
export function formatOffset(minutes: number): string {
  if (minutes === 0) return "UTC";
  const abs = Math.abs(minutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, "0");
  const mm = String(abs % 60).padStart(2, "0");
  return `UTC${minutes > 0 ? "+" : "−"}${hh}:${mm}`;
}

/**
 * The one human name of a zone, said once: "Asia/Kolkata (UTC+05:30)", or without an instant
 * just "Asia/Kolkata". Deprecated names show as their current one. Underscores become spaces
 * ("America/New York"). An unknown name is shown as given.
 */
export function zoneName(zone: string, instant?: number): string {
  const name = canonicalTimeZone(zone) ?? zone;
  const words = name.replace(/_/g, " ");
  if (instant === undefined) return words;
  const offset = offsetMinutes(name, instant);
  return offset === null || name === "UTC" ? words : `${words} (${formatOffset(offset)})`;
}

/**
 * How far apart two UTC offsets (minutes) are on the clock, across the date line: UTC+14:00 and
 * UTC−10:00 show the same time of day a day apart, so they are 0 minutes apart; UTC+12:00 and
 * UTC−11:00 are one hour apart, not 23. At most 12 hours.
 */
export function offsetDistanceMinutes(a: number, b: number): number {
  const diff = (((a - b) % 1440) + 1440) % 1440;
  return Math.min(diff, 1440 - diff);
}

/** "UTC+01:00", "UTC−03:30", "UTC-3", "+05:30" → minutes east of UTC; null for anything else. */
export function parseUtcOffset(text: string): number | null {
  const match = /^(?:UTC|GMT)?\s*([+\-\u2212])(\d{1,2})(?::?(\d{2}))?$/i.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[2]);
  const minutes = Number(match[3] ?? 0);
  if (hours > 14 || minutes >= 60 || (hours === 14 && minutes > 0)) return null;
  return (match[1] === "+" ? 1 : -1) * (hours * 60 + minutes);
}

/** The offset at `instant` of a named zone or of a fixed offset written as parseUtcOffset reads it. */
export function zoneOrOffsetMinutes(zoneOrOffset: string, instant: number): number | null {
  return parseUtcOffset(zoneOrOffset) ?? offsetMinutes(zoneOrOffset, instant);
}

export type TimeZoneOption = { value: string; label: string };

/** The options of the time-zone picker: each canonical zone with its offset at `now`. */
export function timeZoneOptions(now: number): TimeZoneOption[] {
  return canonicalTimeZones().map((zone) => ({ value: zone, label: zoneName(zone, now) }));
}

/**
 * The one form rule for a time-zone field: any named zone the runtime knows, current or deprecated
 * name, in any case, stored under its current name (Asia/Calcutta → Asia/Kolkata). `also` lists
 * extra values a field accepts as they are (the programme window's "AoE").
 */
export function timeZoneField({
  missing = "Choose your time zone.",
  invalid = "Choose a time zone from the list, e.g. Europe/Paris.",
  also = [],
}: { missing?: string; invalid?: string; also?: readonly string[] } = {}) {
  return z
    .string({ error: missing })
    .trim()
    .min(1, missing)
    .refine((zone) => also.includes(zone) || canonicalTimeZone(zone) !== null, invalid)
    .transform((zone) => (also.includes(zone) ? zone : (canonicalTimeZone(zone) ?? zone)));
}
