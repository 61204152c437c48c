// Application windows: the exact instants a window opens and closes, from its first and last day
// and the zone the deadline is in. Plain functions (no server code) so pages can use them too.
// Every conversion goes through #app/utils/time.ts.
import { endOfDay, formatAtOffset, isTimeZone, startOfDay } from "#app/utils/time.ts";

export const AOE = "AoE";

export function isValidTimeZone(zone: string): boolean {
  return zone === AOE || isTimeZone(zone);
}

/**
 * The window's instants. Anywhere on Earth: opens at 00:00 in UTC+12 on the first day (the first
 * place on Earth to reach that day) and closes at 23:59:59.999 in UTC-12 on the last (the last place).
 * Other zones: the first instant of the first day to the last millisecond of the last day, in that
 * zone (a day that starts with a daylight-saving gap opens at 01:00; one with a repeated hour closes
 * after the second pass).
 */
export function windowInstants(opensOn: string, closesOn: string, timeZone: string) {
  if (timeZone === AOE) return { opensAt: startOfDay(opensOn, "+12:00"), closesAt: endOfDay(closesOn, "-12:00") };
  return { opensAt: startOfDay(opensOn, timeZone), closesAt: endOfDay(closesOn, timeZone) };
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
    const sign = aoeOffsetHours >= 0 ? "+" : "-";
    const offset = `${sign}${String(Math.abs(aoeOffsetHours)).padStart(2, "0")}:00`;
    return (
      formatAtOffset(instant, offset, { dateStyle: "full", timeStyle: "medium" }) +
      ` (UTC${aoeOffsetHours >= 0 ? "+" : "−"}${Math.abs(aoeOffsetHours)}, Anywhere on Earth)`
    );
  }
  return new Intl.DateTimeFormat("en-GB", {
    dateStyle: "full",
    timeStyle: "long",
    timeZone,
  }).format(instant);
}
