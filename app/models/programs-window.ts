// Application windows: the exact instants a window opens and closes, from its first and last day
// and the zone the deadline is in. Plain functions (no server code) so pages can use them too.

export const AOE = "AoE";
const HOUR = 3_600_000;

/** The offset of `timeZone` from UTC at `instant`, in ms (positive east of Greenwich). */
export function zoneOffset(timeZone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant of a wall-clock time in `timeZone` (the later one when a clock change repeats it). */
export function wallTimeToUtc(day: string, ms: number, timeZone: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const naive = Date.UTC(y, m - 1, d) + ms;
  if (timeZone === AOE) return naive;
  // Two passes settle the offset across a daylight-saving change.
  let guess = naive - zoneOffset(timeZone, naive);
  guess = naive - zoneOffset(timeZone, guess);
  return guess;
}

export function isValidTimeZone(zone: string): boolean {
  if (zone === AOE) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The window's instants. Anywhere on Earth: opens at 00:00 in UTC+12 on the first day (the first
 * place on Earth to reach that day) and closes at 23:59:59.999 in UTC-12 on the last (the last place).
 * Other zones: local midnight of the first day to the last millisecond of the last day.
 */
export function windowInstants(opensOn: string, closesOn: string, timeZone: string) {
  if (timeZone === AOE) {
    return {
      opensAt: wallTimeToUtc(opensOn, 0, AOE) - 12 * HOUR,
      closesAt: wallTimeToUtc(closesOn, 24 * HOUR - 1, AOE) + 12 * HOUR,
    };
  }
  return { opensAt: wallTimeToUtc(opensOn, 0, timeZone), closesAt: wallTimeToUtc(closesOn, 24 * HOUR - 1, timeZone) };
}

export type WindowState = "upcoming" | "open" | "closed";

export function windowState(w: { opensAt: number; closesAt: number }, now: number): WindowState {
  if (now < w.opensAt) return "upcoming";
  if (now > w.closesAt) return "closed";
  return "open";
}

/** A human label for the deadline's zone: "Anywhere on Earth (UTC−12)" or the IANA name. */
export function zoneLabel(timeZone: string): string {
  return timeZone === AOE ? "Anywhere on Earth (UTC−12)" : timeZone.replace(/_/g, " ");
}

/** Formats an instant in the deadline's own zone (AoE = UTC−12 for closing, UTC+12 for opening). */
export function formatInZone(instant: number, timeZone: string, aoeOffsetHours = -12): string {
  if (timeZone === AOE) {
    const shifted = instant + aoeOffsetHours * HOUR;
    return (
      new Intl.DateTimeFormat("en-GB", { dateStyle: "full", timeStyle: "medium", timeZone: "UTC" }).format(shifted) +
      ` (UTC${aoeOffsetHours >= 0 ? "+" : "−"}${Math.abs(aoeOffsetHours)}, Anywhere on Earth)`
    );
  }
  return new Intl.DateTimeFormat("en-GB", {
    dateStyle: "full",
    timeStyle: "long",
    timeZone,
  }).format(instant);
}
