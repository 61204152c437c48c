// Application windows: the exact instants a window opens and closes, from its first and last day
// and the zone the deadline is in. Plain functions (no server code) so pages can use them too.
// Every conversion goes through #app/utils/time.ts.
import { canonicalTimeZone, endOfDay, formatAtOffset, startOfDay, zoneName } from "#app/utils/time.ts";

export const AOE = "AoE";

/** The programme window picker's first choice. */
export const AOE_OPTION = { value: AOE, label: "Anywhere on Earth (AoE)" } as const;

/** "AoE" or any named zone (current or deprecated name). */
export function isValidTimeZone(zone: string): boolean {
  return zone === AOE || canonicalTimeZone(zone) !== null;
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

/**
 * The deadline's zone, named once: "Anywhere on Earth (UTC−12)" or "Europe/Paris". With an instant,
 * a named zone carries its offset then ("Europe/Paris (UTC+01:00)"); AoE is UTC+12 for an opening
 * and UTC−12 for a closing.
 */
export function zoneLabel(timeZone: string, instant?: number, aoeOffsetHours = -12): string {
  if (timeZone === AOE) return `Anywhere on Earth (UTC${aoeOffsetHours >= 0 ? "+" : "−"}${Math.abs(aoeOffsetHours)})`;
  return zoneName(timeZone, instant);
}

/**
 * An instant as the deadline's own wall clock, followed once by the zone's name:
 * "Wednesday, 20 January 2027 at 23:59:59 Anywhere on Earth (UTC−12)",
 * "Monday, 30 November 2026 at 23:59:59 Europe/Paris (UTC+01:00)".
 */
export function formatInZone(instant: number, timeZone: string, aoeOffsetHours = -12): string {
  const options = { dateStyle: "full", timeStyle: "medium" } as const;
  if (timeZone === AOE) {
    const sign = aoeOffsetHours >= 0 ? "+" : "-";
    const offset = `${sign}${String(Math.abs(aoeOffsetHours)).padStart(2, "0")}:00`;
    return `${formatAtOffset(instant, offset, options)} ${zoneLabel(AOE, instant, aoeOffsetHours)}`;
  }
  const zone = canonicalTimeZone(timeZone) ?? timeZone;
  const wall = new Intl.DateTimeFormat("en-GB", { ...options, timeZone: zone }).format(instant);
  return `${wall} ${zoneLabel(zone, instant)}`;
}
