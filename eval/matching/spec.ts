// The evaluation's own reading of the matching spec (docs/matching.md): the hard rules, the fit
// formula and each reason's contribution. Written independently of app/models/digest/ on purpose:
// the evaluator checks the product against this, so it must not reuse the product's code.
import type { Level, Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";

export const LEVELS: Level[] = ["learning", "comfortable", "expert"];
export const levelNo = (l: Level) => LEVELS.indexOf(l) + 1;

export type RuleName = "trust" | "hours" | "role" | "level" | "no-fit";
export const RULE_NAMES: RuleName[] = ["trust", "hours", "role", "level", "no-fit"];

/** Hours tolerance: the person offers at least 80% of what the item asks. */
export const HOURS_TOLERANCE = 0.8;

/** Which chosen roles fit which kind of call (spec table). */
const ROLES_BY_CALL_KIND: Record<string, string[]> = {
  "co-maintainer": ["co-maintainer"],
  "new-maintainer": ["new-owner"],
  "triage-review": ["triager-reviewer"],
  "release-management": ["co-maintainer"],
  "django-compat": ["co-maintainer", "triager-reviewer"],
  documentation: ["triager-reviewer", "co-maintainer"],
  "ci-packaging": ["co-maintainer"],
};

export const ROLE_WORDS: Record<string, string> = {
  "co-maintainer": "a co-maintainer",
  "new-owner": "a new owner of a package",
  "triager-reviewer": "a triager or reviewer",
  mentor: "a mentor",
  mentee: "a mentee",
};

/**
 * The chosen roles an item fits. Transfers are decided by trust alone; a role named on one is only
 * honest when it is "new owner" (taking a package over), so that is the one role that fits them.
 */
export function fittingRoles(o: Opportunity): string[] {
  if (o.kind === "project") return ["mentee", "mentor"];
  if (o.kind === "transfer") return ["new-owner"];
  const roles = [...(ROLES_BY_CALL_KIND[o.callKind ?? ""] ?? [])];
  if (o.mentoring) roles.push("mentee");
  return roles;
}

export function chosenFittingRole(v: Volunteer, o: Opportunity): string | null {
  return fittingRoles(o).find((r) => v.rolesWanted.includes(r)) ?? null;
}

/** Every hard rule (volunteer side and maintainer side alike) the pair breaks; [] when it may be suggested. */
export function ruleBreaks(v: Volunteer, o: Opportunity): RuleName[] {
  const out: RuleName[] = [];
  if ((o.requires === "roadie" && !v.isRoadie) || (o.requires === "alumni" && !v.isAlumnus)) out.push("trust");
  const offered = v.availabilityHours;
  if (offered === 0) out.push("hours");
  else if (offered !== null && o.hoursPerWeek !== null && offered < HOURS_TOLERANCE * o.hoursPerWeek) out.push("hours");
  let roleBroken = false;
  if (o.kind !== "transfer") {
    if (v.rolesWanted.length > 0) roleBroken = chosenFittingRole(v, o) === null;
    // No roles chosen: every call kind except taking a package over, and projects.
    else roleBroken = o.kind === "call" && o.callKind === "new-maintainer";
    if (roleBroken) out.push("role");
  }
  if (!o.mentoring && o.skills.some((s) => s.level === "expert" && v.skills.get(s.skillId) === "learning")) {
    out.push("level");
  }
  if (o.requires === null) {
    if (v.skills.size > 0 && o.skills.length > 0) {
      if (!o.skills.some((s) => v.skills.has(s.skillId))) out.push("no-fit");
    } else if (v.rolesWanted.length === 0) {
      // Nothing says they fit: no shared skill can exist and no role was chosen.
      out.push("no-fit");
    }
  }
  return out;
}

// ---- The fit formula (spec "Scoring"), with bounds where the spec leaves a value open. ----

export const W = { skills: 0.45, role: 0.15, hours: 0.15, timezone: 0.1, django: 0.1, trust: 0.1 } as const;
export const URGENCY: Record<Opportunity["urgency"], number> = { low: 0.25, normal: 0.5, high: 0.75, critical: 1 };
const DAY = 24 * 60 * 60 * 1000;

/** Credit of one wanted skill: 1 met, 0.5 one level below, 0.25 two below (mentoring only), 0 missing. */
export function credit(have: Level | undefined, wanted: Level, mentoring: boolean): number {
  if (!have) return 0;
  const below = levelNo(wanted) - levelNo(have);
  if (below <= 0) return 1;
  if (below === 1) return 0.5;
  return mentoring ? 0.25 : 0;
}

export function skillsValue(v: Volunteer, o: Opportunity): number {
  if (v.skills.size === 0 || o.skills.length === 0) return 0;
  let sum = 0;
  for (const s of o.skills) sum += credit(v.skills.get(s.skillId), s.level, o.mentoring);
  return 0.75 * (sum / o.skills.length) + 0.25 * (Math.min(sum, 3) / 3);
}

/** Skills of the item the person has at or above the asked level. */
export function metSkills(v: Volunteer, o: Opportunity): number {
  return o.skills.filter((s) => credit(v.skills.get(s.skillId), s.level, o.mentoring) === 1).length;
}

/** Hours between two offsets, the short way round the clock. */
export function apart(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

export function nearest(offset: number | null, maintainers: number[]): number | null {
  if (offset === null || maintainers.length === 0) return null;
  return Math.min(...maintainers.map((m) => apart(offset, m)));
}

export function sharedVersions(v: Volunteer, o: Opportunity): string[] {
  return o.djangoVersions.filter((d) => v.djangoVersions.includes(d));
}

type Range = [number, number];

function roleRange(v: Volunteer, o: Opportunity): Range {
  // The spec does not say what the role signal is worth on a transfer ("decided by trust alone"):
  // a chosen "new owner" fits it, no roles is neutral, other roles anything up to neutral.
  if (o.kind === "transfer") {
    if (v.rolesWanted.includes("new-owner")) return [1, 1];
    return v.rolesWanted.length === 0 ? [0.5, 0.5] : [0, 0.5];
  }
  if (chosenFittingRole(v, o)) return [1, 1];
  return v.rolesWanted.length === 0 ? [0.5, 0.5] : [0, 0];
}

function hoursRange(v: Volunteer, o: Opportunity): Range {
  const offered = v.availabilityHours;
  const asked = o.hoursPerWeek;
  if (asked === null && offered === null) return [0.7, 0.8]; // both "unknown" cases apply
  if (asked === null) return [0.8, 0.8];
  if (offered === null) return [0.7, 0.7];
  const h = Math.min(1, offered / asked);
  return [h, h];
}

/** The fit part of the score (no urgency or freshness), as [lowest, highest] over the spec's open points. */
export function fitRange(v: Volunteer, o: Opportunity): Range {
  const n = nearest(v.offsetHours, o.maintainerOffsets);
  const tz = n === null ? 0 : 1 - n / 12;
  const django = sharedVersions(v, o).length > 0 ? 1 : 0.3;
  const trust = o.requires !== null ? W.trust : 0;
  const base = W.skills * skillsValue(v, o) + W.timezone * tz + W.django * django + trust;
  const [r0, r1] = roleRange(v, o);
  const [h0, h1] = hoursRange(v, o);
  return [base + W.role * r0 + W.hours * h0, base + W.role * r1 + W.hours * h1];
}

export function freshness(o: Opportunity, now: number): number {
  return Math.pow(0.5, Math.max(0, now - o.createdAt) / DAY / 14);
}

/** Urgency and freshness: at most 0.05, the same for everyone. */
export function prior(o: Opportunity, now: number): number {
  return 0.03 * URGENCY[o.urgency] + 0.02 * freshness(o, now);
}

export const MAX_PRIOR = 0.05;

export function ageDays(o: Opportunity, now: number): number {
  return Math.max(0, now - o.createdAt) / DAY;
}
