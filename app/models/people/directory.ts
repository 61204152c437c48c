// The people directory's search (/people): its query parameters, read leniently (a value that is not
// one of the choices is ignored, never an error page), and the words the page shows for them.
import { z } from "zod";
import { profileRoles, skillLevels, type SkillLevel } from "#db/schema.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { canonicalTimeZone, formatOffset, parseUtcOffset, type TimeZoneOption } from "#app/utils/time.ts";

/** The hours either side of the chosen zone a search may ask for. */
export const withinHours = [0, 1, 2, 3, 4, 6, 8] as const;
export const DEFAULT_WITHIN_HOURS = 3;
export const PEOPLE_PAGE_SIZE = 30;

const skillIds = skillTaxonomy.map((s) => s.id) as [string, ...string[]];

/** A zone under its current name, or a fixed offset as "UTC+01:00" / "UTC-03:00". */
const zoneOrOffset = z
  .string()
  .trim()
  .max(64)
  .transform((value, ctx) => {
    const offset = parseUtcOffset(value);
    if (offset !== null) return offsetValue(offset);
    const zone = canonicalTimeZone(value);
    if (zone) return zone;
    ctx.addIssue({ code: "custom", message: "not a time zone" });
    return z.NEVER;
  });

export const PeopleQuery = z.object({
  role: z.enum(profileRoles).optional().catch(undefined),
  skill: z.enum(skillIds).optional().catch(undefined),
  /** The least level of `skill`: "comfortable" finds comfortable and expert. */
  level: z.enum(skillLevels).optional().catch(undefined),
  tz: zoneOrOffset.optional().catch(undefined),
  within: z.coerce
    .number()
    .int()
    .refine((n) => (withinHours as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
  /** At least this many hours a week. */
  hours: z.coerce.number().int().min(1).max(80).optional().catch(undefined),
  takeover: z
    .enum(["1", "on", "true"])
    .transform(() => true as const)
    .optional()
    .catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).optional().catch(undefined),
});
export type PeopleQueryValue = z.output<typeof PeopleQuery>;

export function parsePeopleQuery(url: URL): PeopleQueryValue {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  return PeopleQuery.parse(raw);
}

/** The levels at or above `least`, in the taxonomy's order. */
export function levelsFrom(least: SkillLevel): SkillLevel[] {
  return skillLevels.slice(skillLevels.indexOf(least));
}

export const leastLevelLabels: Record<SkillLevel, string> = {
  learning: "Any level",
  comfortable: "Comfortable or expert",
  expert: "Expert",
};

/** An offset's value in the URL: ASCII, so it reads as typed ("UTC-03:00"). */
export function offsetValue(minutes: number): string {
  return formatOffset(minutes).replace("\u2212", "-").replace(/^UTC$/, "UTC+00:00");
}

/** Whole-hour offsets offered before the zones: "within 3 hours of UTC+1" without naming a city. */
export function offsetOptions(): TimeZoneOption[] {
  return Array.from({ length: 27 }, (_, i) => i - 12)
    .filter((h) => h !== 0)
    .map((h) => ({ value: offsetValue(h * 60), label: `${formatOffset(h * 60)} (a fixed offset)` }));
}

/** The query string of a search, for the pager and the "clear" link. */
export function peopleQueryString(q: PeopleQueryValue, page?: number): string {
  const params = new URLSearchParams();
  if (q.role) params.set("role", q.role);
  if (q.skill) params.set("skill", q.skill);
  if (q.level) params.set("level", q.level);
  if (q.tz) params.set("tz", q.tz);
  if (q.within !== undefined) params.set("within", String(q.within));
  if (q.hours) params.set("hours", String(q.hours));
  if (q.takeover) params.set("takeover", "1");
  if (page && page > 1) params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "";
}
