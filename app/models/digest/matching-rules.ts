// The matching engine's scoring rules: what a person and an item are, each signal (a value in
// 0..1 and, when it is worth saying, a reason), and the score they add up to. Pure functions;
// see docs/matching.md for the signals and weights.
import { DAY_MS } from "#app/utils/dates.ts";
import type { CallKind } from "#db/schema/calls.ts";
import type { DigestSection } from "#db/schema/digest.ts";

export type Level = "learning" | "comfortable" | "expert";
export const LEVEL_VALUE: Record<Level, number> = { learning: 1, comfortable: 2, expert: 3 };

export type ItemKind = "call" | "project" | "transfer" | "volunteer" | "interest";

/** Something a volunteer could help with. */
export type Opportunity = {
  kind: "call" | "project" | "transfer";
  id: string;
  section: DigestSection;
  packageId: number;
  packageName: string;
  title: string;
  /** Path inside the app, e.g. "/calls/12". */
  path: string;
  /** The call's kind ("co-maintainer" …), when it is a call. */
  callKind: CallKind | null;
  skills: { skillId: string; level: Level }[];
  hoursPerWeek: number | null;
  djangoVersions: string[];
  urgency: "low" | "normal" | "high" | "critical";
  createdAt: number;
  updatedAt: number;
  /** Time-zone offsets (hours from UTC) of the package's maintainers on Roadies. */
  maintainerOffsets: number[];
  /** Only people with this trust status may see it in their digest. */
  requires: "roadie" | "alumni" | null;
};

export type Volunteer = {
  id: number;
  login: string;
  offsetHours: number | null;
  availabilityHours: number | null;
  skills: Map<string, Level>;
  rolesWanted: string[];
  djangoVersions: string[];
  isRoadie: boolean;
  isAlumnus: boolean;
  /** Whether maintainers may be shown this person (profile not hidden). */
  discoverable: boolean;
};

/** Per-person history that removes items: own packages, dismissed, answered, recently shown. */
export type History = {
  ownPackageIds: Set<number>;
  /** "call:12" keys the person dismissed or answered. */
  excluded: Set<string>;
  /** Item key -> when it was last shown in one of the person's previous 4 digests. */
  recentlyShown: Map<string, number>;
};

export type Match = {
  kind: ItemKind;
  id: string;
  section: DigestSection;
  packageId: number;
  packageName: string;
  title: string;
  path: string;
  /** 0..1, two decimals. */
  score: number;
  reasons: string[];
  updatedAt: number;
};

export const MAX_ITEMS = 10;
export const MAX_PER_PACKAGE = 2;
/** Below this a match is not worth an email line. */
export const MIN_SCORE = 0.35;
/** Volunteers suggested per open call of a maintainer. */
export const PEOPLE_PER_CALL = 2;
/** Volunteers considered per skill of a maintainer's call before full scoring. */
export const PEOPLE_CANDIDATES_PER_SKILL = 80;
/** Calls considered per skill of a volunteer before full scoring (see docs/matching.md). */
export const CANDIDATES_PER_SKILL = 40;

export const WEIGHTS = {
  skills: 0.35,
  role: 0.15,
  availability: 0.15,
  django: 0.1,
  timezone: 0.1,
  urgency: 0.08,
  freshness: 0.07,
} as const;

/** Added when the item asks for a trust status the person has (a roadie for a transfer). */
export const TRUST_BONUS = 0.1;

const URGENCY_VALUE = { low: 0.25, normal: 0.5, high: 0.75, critical: 1 } as const;

/** Which roles wanted (volunteer profile) fit which kinds of call. */
export const ROLES_FOR_KIND: Record<CallKind, string[]> = {
  "co-maintainer": ["co-maintainer"],
  "new-maintainer": ["new-owner", "co-maintainer"],
  "triage-review": ["triager-reviewer", "co-maintainer"],
  "release-management": ["co-maintainer", "triager-reviewer"],
  "django-compat": ["co-maintainer", "triager-reviewer"],
  documentation: ["triager-reviewer", "co-maintainer", "mentee"],
  "ci-packaging": ["co-maintainer", "triager-reviewer"],
};

const ROLE_LABEL: Record<string, string> = {
  "co-maintainer": "a co-maintainer",
  "new-owner": "a new owner of a package",
  "triager-reviewer": "a triager or reviewer",
  mentor: "a mentor",
  mentee: "a mentee",
};

export type Signal = { value: number; reason: string | null };

// ---- Signals: each returns a value in 0..1 and, when it is worth saying, a reason. ----

export function skillSignal(v: Volunteer, o: Opportunity, skillNames: Map<string, string>): Signal {
  if (o.skills.length === 0) return { value: 0.3, reason: null };
  let total = 0;
  let best: { name: string; level: Level; fit: number } | null = null;
  for (const wanted of o.skills) {
    const have = v.skills.get(wanted.skillId);
    if (!have) continue;
    const fit = Math.min(1, LEVEL_VALUE[have] / LEVEL_VALUE[wanted.level]);
    total += fit;
    const name = skillNames.get(wanted.skillId) ?? wanted.skillId;
    if (!best || fit > best.fit || (fit === best.fit && LEVEL_VALUE[have] > LEVEL_VALUE[best.level])) {
      best = { name, level: have, fit };
    }
  }
  const value = total / o.skills.length;
  if (!best) return { value: 0, reason: null };
  const what = o.kind === "project" ? "this project" : "this call";
  const levelWord = best.level === "learning" ? "learning" : best.level;
  return { value, reason: `${levelWord} in ${best.name}, which ${what} needs` };
}

export function roleSignal(v: Volunteer, o: Opportunity): Signal {
  if (o.kind === "project") {
    const fits = v.rolesWanted.includes("mentee") || v.rolesWanted.includes("mentor");
    return fits
      ? {
          value: 1,
          reason: `you said you would like to be ${ROLE_LABEL[v.rolesWanted.includes("mentee") ? "mentee" : "mentor"]}`,
        }
      : { value: v.rolesWanted.length === 0 ? 0.5 : 0.2, reason: null };
  }
  if (!o.callKind) return { value: 0.5, reason: null };
  if (v.rolesWanted.length === 0) return { value: 0.5, reason: null };
  const fitting = ROLES_FOR_KIND[o.callKind].find((r) => v.rolesWanted.includes(r));
  if (!fitting) return { value: 0.1, reason: null };
  const exact = ROLES_FOR_KIND[o.callKind][0] === fitting;
  return { value: exact ? 1 : 0.7, reason: `you said you would like to be ${ROLE_LABEL[fitting] ?? fitting}` };
}

export function availabilitySignal(v: Volunteer, o: Opportunity): Signal {
  if (o.hoursPerWeek === null || v.availabilityHours === null) return { value: 0.5, reason: null };
  const asks = `asks ${o.hoursPerWeek} ${o.hoursPerWeek === 1 ? "hour" : "hours"} a week`;
  if (v.availabilityHours >= o.hoursPerWeek) {
    return { value: 1, reason: `${asks}; you offered ${v.availabilityHours}` };
  }
  return { value: v.availabilityHours / o.hoursPerWeek, reason: null };
}

export function djangoSignal(v: Volunteer, o: Opportunity): Signal {
  if (o.djangoVersions.length === 0 || v.djangoVersions.length === 0) return { value: 0.5, reason: null };
  const shared = o.djangoVersions.filter((d) => v.djangoVersions.includes(d));
  if (shared.length === 0) return { value: 0.1, reason: null };
  return { value: 1, reason: `targets Django ${shared.join(", ")}, which you know` };
}

/** Hours between two UTC offsets, the short way round the clock. */
export function hoursApart(a: number, b: number): number {
  const d = Math.abs(a - b) % 24;
  return Math.min(d, 24 - d);
}

/** Hours from a person's UTC offset to the nearest of the maintainers' offsets. */
export function nearestMaintainer(offset: number, maintainerOffsets: number[]): number {
  let nearest = 24;
  for (const m of maintainerOffsets) nearest = Math.min(nearest, hoursApart(offset, m));
  return nearest;
}

/** The fit of scoreValue and the matcher's fast path: per-person signals, trust bonus and the item's prior. */
export function fitScore(
  bonus: number,
  skill: number,
  role: number,
  availability: number,
  django: number,
  timezone: number,
  prior: number,
): number {
  const score =
    bonus +
    WEIGHTS.skills * skill +
    WEIGHTS.role * role +
    WEIGHTS.availability * availability +
    WEIGHTS.django * django +
    WEIGHTS.timezone * timezone +
    prior;
  return score < MIN_SCORE ? -1 : score;
}

export function timezoneSignal(v: Volunteer, o: Opportunity): Signal {
  if (v.offsetHours === null || o.maintainerOffsets.length === 0) return { value: 0.5, reason: null };
  const nearest = nearestMaintainer(v.offsetHours, o.maintainerOffsets);
  const value = 1 - nearest / 12;
  if (nearest > 4) return { value, reason: null };
  const rounded = Math.round(nearest);
  const reason =
    rounded === 0
      ? "its maintainers are in your time zone"
      : `its maintainers are ${rounded} ${rounded === 1 ? "hour" : "hours"} from you`;
  return { value, reason };
}

export function urgencySignal(o: Opportunity): Signal {
  const value = URGENCY_VALUE[o.urgency];
  return {
    value,
    reason: o.urgency === "critical" ? "marked critical" : o.urgency === "high" ? "marked urgent" : null,
  };
}

/** Halves every two weeks after posting. */
export function freshnessSignal(o: Opportunity, now: number): Signal {
  const ageDays = Math.max(0, (now - o.createdAt) / DAY_MS);
  const value = Math.pow(0.5, ageDays / 14);
  if (ageDays < 1) return { value, reason: "posted today" };
  if (ageDays < 7) {
    const days = Math.floor(ageDays);
    return { value, reason: `posted ${days} ${days === 1 ? "day" : "days"} ago` };
  }
  return { value, reason: null };
}

export function trustSignal(v: Volunteer, o: Opportunity): Signal & { allowed: boolean } {
  if (o.requires === "roadie") {
    return { value: 1, allowed: v.isRoadie, reason: v.isRoadie ? "it needs a roadie, and you are one" : null };
  }
  if (o.requires === "alumni") {
    return {
      value: 1,
      allowed: v.isAlumnus,
      reason: v.isAlumnus ? "it asks for programme alumni, and you are one" : null,
    };
  }
  return { value: 1, allowed: true, reason: null };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Scores one opportunity for one volunteer; null when it must not be shown or is not a fit. */
export function scoreOpportunity(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
): { score: number; reasons: string[] } | null {
  const trust = trustSignal(v, o);
  if (!trust.allowed) return null;
  const skill = skillSignal(v, o, skillNames);
  const role = roleSignal(v, o);
  // Without a shared skill or a role they asked for, nothing says this person fits.
  // Trust-restricted items (transfers for roadies) are for every holder of that trust.
  if (skill.value === 0 && role.value < 0.7 && !o.requires) return null;
  const availability = availabilitySignal(v, o);
  const django = djangoSignal(v, o);
  const timezone = timezoneSignal(v, o);
  const urgency = urgencySignal(o);
  const freshness = freshnessSignal(o, now);
  const score =
    (trust.reason ? TRUST_BONUS : 0) +
    WEIGHTS.skills * skill.value +
    WEIGHTS.role * role.value +
    WEIGHTS.availability * availability.value +
    WEIGHTS.django * django.value +
    WEIGHTS.timezone * timezone.value +
    WEIGHTS.urgency * urgency.value +
    WEIGHTS.freshness * freshness.value;
  if (score < MIN_SCORE) return null;
  // Strongest signals first; at most four reasons keep an email line short.
  const reasons = [trust, skill, role, availability, django, timezone, urgency, freshness]
    .map((s) => s.reason)
    .filter((r): r is string => r !== null)
    .slice(0, 4);
  return { score: round2(Math.min(1, score)), reasons };
}

/**
 * The same score as scoreOpportunity, without building reasons: the matcher ranks hundreds of
 * candidates per person with this and explains only the few it keeps. `prior` is the
 * opportunity's urgency and freshness part (the same for everyone). -1 when not a fit.
 */
export function scoreValue(v: Volunteer, o: Opportunity, prior: number): number {
  let bonus = 0;
  if (o.requires === "roadie") {
    if (!v.isRoadie) return -1;
    bonus = TRUST_BONUS;
  } else if (o.requires === "alumni") {
    if (!v.isAlumnus) return -1;
    bonus = TRUST_BONUS;
  }
  let skill = 0.3;
  if (o.skills.length > 0) {
    let total = 0;
    for (const wanted of o.skills) {
      const have = v.skills.get(wanted.skillId);
      if (have) total += Math.min(1, LEVEL_VALUE[have] / LEVEL_VALUE[wanted.level]);
    }
    skill = total / o.skills.length;
  }
  const role = roleValue(v.rolesWanted, o.kind === "project" ? "project" : o.callKind);
  if (skill === 0 && role < 0.7 && !o.requires) return -1;
  const availability =
    o.hoursPerWeek === null || v.availabilityHours === null
      ? 0.5
      : v.availabilityHours >= o.hoursPerWeek
        ? 1
        : v.availabilityHours / o.hoursPerWeek;
  let django = 0.5;
  if (o.djangoVersions.length > 0 && v.djangoVersions.length > 0) {
    django = o.djangoVersions.some((d) => v.djangoVersions.includes(d)) ? 1 : 0.1;
  }
  const timezone =
    v.offsetHours !== null && o.maintainerOffsets.length > 0
      ? 1 - nearestMaintainer(v.offsetHours, o.maintainerOffsets) / 12
      : 0.5;
  return fitScore(bonus, skill, role, availability, django, timezone, prior);
}

/** The role signal's value (roleSignal without the reason) for a project, a kind of call, or a call without kind. */
export function roleValue(rolesWanted: string[], kind: CallKind | null | "project"): number {
  if (kind === "project") {
    return rolesWanted.includes("mentee") || rolesWanted.includes("mentor") ? 1 : rolesWanted.length === 0 ? 0.5 : 0.2;
  }
  if (!kind || rolesWanted.length === 0) return 0.5;
  const fits = ROLES_FOR_KIND[kind];
  const fitting = fits.find((r) => rolesWanted.includes(r));
  return !fitting ? 0.1 : fits[0] === fitting ? 1 : 0.7;
}

/** What a maintainer's side of the digest needs about one of their open calls. */
export type MaintainerCall = Opportunity & { maintainerIds: number[] };

export type NewInterest = {
  id: number;
  callId: number;
  packageId: number;
  packageName: string;
  callTitle: string;
  volunteerLogin: string;
  volunteerId: number;
  createdAt: number;
};

export type MatchingData = {
  now: number;
  skillNames: Map<string, string>;
  volunteers: Map<number, Volunteer>;
  opportunities: Opportunity[];
  /** Open calls, with who maintains their package (for the "people for my calls" section). */
  maintainerCalls: MaintainerCall[];
  interests: NewInterest[];
  history: Map<number, History>;
  /** When each person's last digest was sent (for "new interests since the last digest"). */
  lastDigestAt: Map<number, number>;
};

export function emptyHistory(): History {
  return { ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() };
}
