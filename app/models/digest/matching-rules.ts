// The matching engine's scoring rules: what a person and an item are, each signal (a value in
// 0..1 and, when it is worth saying, a reason), and the score they add up to. Pure functions;
// see docs/matching.md for the signals and weights.
import { DAY_MS } from "#app/utils/dates.ts";
import type { CallKind } from "#db/schema/calls.ts";
import type { DigestSection } from "#db/schema/digest.ts";
import {
  belowText,
  djangoFit,
  heldText,
  hoursText,
  list,
  MAINTAINER_READER,
  needsText,
  POSTED_TEXTS,
  READER_OF_KIND,
  READERS,
  roleText,
  textsOf,
  writeZone,
  ZONE_TEXTS,
} from "#app/models/digest/matching-texts.ts";

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
  /** The maintainers offer mentoring: people still learning a skill it needs are welcome. */
  mentoring: boolean;
};

export type Volunteer = {
  id: number;
  login: string;
  offsetHours: number | null;
  availabilityHours: number | null;
  /** Read-only: a run's loader gives each person a view over one shared pool (matching-people.server.ts). */
  skills: ReadonlyMap<string, Level>;
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
  /** The exact score (ranking never rounds); about 0..1.1. */
  score: number;
  reasons: string[];
  updatedAt: number;
  /** Orders equal scores: the item's id, or the suggested volunteer's user id. */
  order: number;
};

export const MAX_ITEMS = 10;
export const MAX_PER_PACKAGE = 2;
/** Below this a match is not worth an email line (a role-only fit with honest data stays above it). */
export const MIN_SCORE = 0.25;
/** Volunteers suggested per open call of a maintainer. */
export const PEOPLE_PER_CALL = 2;
/**
 * A person may be offered an item asking up to this much more than they offered: weekly estimates
 * are rough, and 4 hours offered for a 5-hour call is a conversation; 3 for 8 is not.
 */
export const HOURS_TOLERANCE = 0.8;

/** Fit first: these five signals make the score; urgency and freshness only order near-equals. */
export const WEIGHTS = {
  skills: 0.45,
  role: 0.15,
  availability: 0.15,
  timezone: 0.1,
  django: 0.1,
  urgency: 0.03,
  freshness: 0.02,
} as const;

/** Added when the item asks for a trust status the person has (a roadie for a transfer). */
export const TRUST_BONUS = 0.1;

/** Values of the signals when one side did not say: never worth more than an honest answer. */
export const UNKNOWN = {
  /** The person gave no hours: below the least an honest answer that passes the rules is worth (0.8). */
  hoursOffered: 0.7,
  /** The item asks no hours: every person the same. */
  hoursAsked: 0.8,
  /** No time zone on either side: worth what the farthest honest zone is worth. */
  timezone: 0,
  /** No Django versions on either side: worth what sharing none is worth. */
  django: 0.3,
  /** The person chose no roles: half a chosen, fitting role. */
  role: 0.5,
} as const;

const URGENCY_VALUE = { low: 0.25, normal: 0.5, high: 0.75, critical: 1 } as const;

/** Which roles wanted (volunteer profile) fit which kinds of call. */
export const ROLES_FOR_KIND: Record<CallKind, readonly string[]> = {
  "co-maintainer": ["co-maintainer"],
  "new-maintainer": ["new-owner"],
  "triage-review": ["triager-reviewer"],
  "release-management": ["co-maintainer"],
  "django-compat": ["co-maintainer", "triager-reviewer"],
  documentation: ["triager-reviewer", "co-maintainer"],
  "ci-packaging": ["co-maintainer"],
};
const ROLES_FOR_PROJECT = ["mentee", "mentor"] as const;
/** With mentoring offered, a mentee fits too (built once: rolesFor is asked for every line explained). */
const ROLES_WITH_MENTORING: Record<CallKind, readonly string[]> = { ...ROLES_FOR_KIND };
for (const kind of Object.keys(ROLES_FOR_KIND) as CallKind[]) {
  ROLES_WITH_MENTORING[kind] = [...ROLES_FOR_KIND[kind], "mentee"];
}
const MENTEE_ONLY: readonly string[] = ["mentee"];
const NONE: readonly string[] = [];

/** The roles that fit an item, in order of preference. Trust-restricted items are decided by trust alone. */
export function rolesFor(o: Pick<Opportunity, "kind" | "callKind" | "mentoring">): readonly string[] {
  if (o.kind === "project") return ROLES_FOR_PROJECT;
  if (!o.callKind) return o.mentoring ? MENTEE_ONLY : NONE;
  return (o.mentoring ? ROLES_WITH_MENTORING : ROLES_FOR_KIND)[o.callKind];
}

/**
 * The role signal from the person's chosen roles: 1 for a chosen role that fits, UNKNOWN.role when
 * they chose none (taking a package over is never suggested without "new owner" chosen), -1 when
 * the rules exclude the item. `fitting` is rolesFor(o), for a caller that has it at hand.
 */
export function roleValue(
  rolesWanted: readonly string[],
  o: Pick<Opportunity, "kind" | "callKind" | "mentoring">,
  fitting = rolesFor(o),
) {
  if (rolesWanted.length === 0) return o.callKind === "new-maintainer" && o.kind === "call" ? -1 : UNKNOWN.role;
  return chosenRole(rolesWanted, fitting) === undefined ? -1 : 1;
}

/** The first of the fitting roles the person chose (loops: no closure per line explained). */
function chosenRole(rolesWanted: readonly string[], fitting: readonly string[]): string | undefined {
  for (const role of fitting) if (rolesWanted.includes(role)) return role;
  return undefined;
}

/** Credit for a skill held at `have` when `wanted` is asked (levels as numbers); 0 when not held. */
export function skillCredit(have: number, wanted: number): number {
  if (have === 0) return 0;
  const gap = wanted - have;
  return gap <= 0 ? 1 : gap === 1 ? 0.5 : 0.25;
}

/** The skills signal from the sum of credits over an item's `count` skills. */
export function skillValue(credit: number, count: number): number {
  if (count === 0 || credit === 0) return 0;
  return 0.75 * (credit / count) + 0.25 * (Math.min(credit, 3) / 3);
}

export function urgencyValue(o: Pick<Opportunity, "urgency">): number {
  return URGENCY_VALUE[o.urgency];
}

/** Days since posting (none for an item dated ahead). */
function ageInDays(o: Pick<Opportunity, "createdAt">, now: number): number {
  return Math.max(0, (now - o.createdAt) / DAY_MS);
}

/** Halves every two weeks after posting. */
export function freshnessValue(o: Pick<Opportunity, "createdAt">, now: number): number {
  return Math.pow(0.5, ageInDays(o, now) / 14);
}

/** The part of the score that is the same for everyone: urgency and freshness. */
export function priorOf(o: Opportunity, now: number): number {
  return WEIGHTS.urgency * urgencyValue(o) + WEIGHTS.freshness * freshnessValue(o, now);
}

/** The score from its parts, in one order of operations, so every path gives the same bits. */
export function combine(
  bonus: number,
  skill: number,
  role: number,
  availability: number,
  timezone: number,
  django: number,
  prior: number,
): number {
  const score =
    bonus +
    WEIGHTS.skills * skill +
    WEIGHTS.role * role +
    WEIGHTS.availability * availability +
    WEIGHTS.timezone * timezone +
    WEIGHTS.django * django +
    prior;
  return score < MIN_SCORE ? -1 : score;
}

/** The hours signal: -1 when the rules exclude the item (no time, or too little of it). */
export function hoursValue(offered: number | null, asked: number | null): number {
  if (offered === 0) return -1;
  if (asked === null) return UNKNOWN.hoursAsked;
  if (offered === null) return UNKNOWN.hoursOffered;
  if (offered >= asked) return 1;
  return offered >= HOURS_TOLERANCE * asked ? offered / asked : -1;
}

/** Hours between two UTC offsets, the short way round the clock. */
export function hoursApart(a: number, b: number): number {
  let d = Math.abs(a - b);
  if (d >= 24) d %= 24; // offsets span 26 hours (−12 to +14): rarely needed, and % is slow
  return d > 12 ? 24 - d : d;
}

/** Hours from a person's UTC offset to the nearest of the maintainers' offsets. */
export function nearestMaintainer(offset: number, maintainerOffsets: readonly number[]): number {
  let nearest = 24;
  for (let n = 0; n < maintainerOffsets.length; n++)
    nearest = Math.min(nearest, hoursApart(offset, maintainerOffsets[n]!));
  return nearest;
}

/** Which side reads the reasons: the volunteer, or the maintainer of the call being suggested people. */
export type Side = "volunteer" | "maintainer";

type Reason = { text: string; strength: number };

/** Everything about one pair: the score (or why the rules exclude it) and the facts the reasons state. */
export type Assessment =
  | { fits: false; rule: "trust" | "hours" | "role" | "level" | "no-fit" | "score" }
  | { fits: true; score: number; positives: Reason[]; misfits: string[] };

/**
 * What assess reads of an item that is the same for everyone, worked out once per item and run and
 * kept by identity (a run's items are not changed once loaded; another `now`, skill names or skills
 * list works them out again): its skills with their names and levels as numbers, the roles that
 * fit it, urgency and freshness. One lookup a line instead of a name, two levels and the roles per
 * line; about 0.5 MB at 10,000 calls, and gone with the run's items (a WeakMap).
 */
const writeFacts = (o: Opportunity, now: number, names: ReadonlyMap<string, string>) => ({
  now,
  names,
  skills: o.skills,
  asked: o.skills.map((s) => ({
    skillId: s.skillId,
    wanted: LEVEL_VALUE[s.level],
    texts: textsOf(names.get(s.skillId) ?? s.skillId),
  })),
  roles: rolesFor(o),
  urgency: urgencyValue(o),
  freshness: freshnessValue(o, now),
  ageDays: ageInDays(o, now),
});
const itemFacts = new WeakMap<Opportunity, ReturnType<typeof writeFacts>>();
function factsOf(o: Opportunity, now: number, names: ReadonlyMap<string, string>) {
  let f = itemFacts.get(o);
  if (f === undefined || f.now !== now || f.names !== names || f.skills !== o.skills) {
    itemFacts.set(o, (f = writeFacts(o, now, names)));
  }
  return f;
}

/**
 * What the pair being weighed says, in the order it is found: the reasons for it with what each
 * adds to the score, then every misfit. Reused from pair to pair (a run weighs about 440,000; a
 * pair is weighed to the end before the next starts), so a line costs only the reasons it shows.
 */
const found = {
  positives: 0,
  texts: [] as string[],
  strengths: [] as number[],
  misfits: 0,
  against: [] as string[],
  /** The skills held and missing, listed once the loop over the item's skills is done. */
  met: [] as string[],
  missing: [] as string[],
};
function reasonFor(strength: number, text: string) {
  found.strengths[found.positives] = strength;
  found.texts[found.positives++] = text;
}
function reasonAgainst(text: string) {
  found.against[found.misfits++] = text;
}

type Rule = Extract<Assessment, { fits: false }>["rule"];

/**
 * The rules and the score of one item for one person, with the reasons written for `side` (the
 * verdict of `weigh`, below, as one object). The reference for the fast matcher (matcher.ts
 * computes the same score from numbers).
 */
export function assess(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
  side: Side = "volunteer",
): Assessment {
  const score = weigh(v, o, now, skillNames, side === "volunteer");
  if (typeof score === "string") return { fits: false, rule: score };
  const positives: Reason[] = [];
  for (let n = 0; n < found.positives; n++) positives.push({ text: found.texts[n]!, strength: found.strengths[n]! });
  return { fits: true, score, positives, misfits: found.against.slice(0, found.misfits) };
}

/**
 * The only place the rules of docs/matching.md, the score and the reasons are written: the score of
 * one pair, or the rule it breaks, with the reasons left in `found` (assess and scoreOpportunity
 * read them before the next pair).
 */
function weigh(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
  you: boolean,
): number | Rule {
  found.positives = 0;
  found.misfits = 0;
  let bonus = 0;
  if (o.requires !== null) {
    const has = o.requires === "roadie" ? v.isRoadie : v.isAlumnus;
    if (!has) return "trust";
    bonus = TRUST_BONUS;
    reasonFor(
      TRUST_BONUS,
      you
        ? o.requires === "roadie"
          ? "it needs a roadie, and you are one"
          : "it asks for programme alumni, and you are one"
        : o.requires === "roadie"
          ? "an active roadie"
          : "a programme alumnus",
    );
  }

  const availability = hoursValue(v.availabilityHours, o.hoursPerWeek);
  if (availability < 0) return "hours";
  const item = factsOf(o, now, skillNames);
  // A transfer needs a roadie, whatever roles they chose for themselves.
  const fits = roleValue(v.rolesWanted, o, item.roles);
  const role = o.kind === "transfer" ? Math.max(0, fits) : fits;
  if (role < 0) return "role";
  // Hours offered that meet the ask are a reason (below); short or unknown ones come first among the misfits.
  const hoursSaid = o.hoursPerWeek === null ? null : hoursText(o.hoursPerWeek, v.availabilityHours, you);
  if (hoursSaid !== null && availability !== 1) reasonAgainst(hoursSaid);

  // Skills: the credit of each the item needs, and what the person lacks or holds below the level.
  const { met, missing } = found;
  const reader = you ? READER_OF_KIND[o.kind] : MAINTAINER_READER;
  let credit = 0;
  let metCount = 0;
  let missingCount = 0;
  let one = ""; // what the first skill held says alone ("expert in Django ORM, which this call needs")
  for (let n = 0; n < item.asked.length; n++) {
    const wanted = item.asked[n]!;
    const held = v.skills.get(wanted.skillId);
    if (!held) {
      missing[missingCount++] = wanted.texts.name;
      continue;
    }
    const have = LEVEL_VALUE[held];
    const c = skillCredit(have, wanted.wanted);
    if (c === 0.25 && !o.mentoring) return "level";
    credit += c;
    if (c === 1) {
      if (metCount === 0) one = needsText(wanted.texts, reader, have);
      met[metCount++] = heldText(wanted.texts, have);
    } else reasonAgainst(belowText(wanted.texts, you, wanted.wanted, have));
  }
  const skill = skillValue(credit, o.skills.length);
  // Something must say this person fits: a shared skill, or a role they chose that fits.
  if (o.requires === null) {
    const sharesSkill = credit > 0;
    const bothListSkills = o.skills.length > 0 && v.skills.size > 0;
    if (bothListSkills ? !sharesSkill : !(role === 1)) return "no-fit";
  }
  if (metCount > 0) {
    reasonFor(WEIGHTS.skills * skill, metCount === 1 ? one : `${list(met, metCount)}, which ${READERS[reader]} needs`);
  }
  if (missingCount > 0 && v.skills.size > 0) {
    reasonAgainst(
      you
        ? `also needs ${list(missing, missingCount)}, which you did not list`
        : `did not list ${list(missing, missingCount)}, which your call needs`,
    );
  }

  if (role === 1) reasonFor(WEIGHTS.role, roleText(chosenRole(v.rolesWanted, item.roles)!, you));
  if (hoursSaid !== null && availability === 1) reasonFor(WEIGHTS.availability, hoursSaid);

  let django: number = UNKNOWN.django;
  if (o.djangoVersions.length > 0 && v.djangoVersions.length > 0) {
    const fit = djangoFit(o.djangoVersions, v.djangoVersions);
    const text = fit.texts[you ? 0 : 1];
    if (fit.shared) {
      django = 1;
      reasonFor(WEIGHTS.django, text);
    } else reasonAgainst(text);
  }

  let timezone: number = UNKNOWN.timezone;
  if (v.offsetHours !== null && o.maintainerOffsets.length > 0) {
    const nearest = nearestMaintainer(v.offsetHours, o.maintainerOffsets);
    timezone = 1 - nearest / 12;
    const rounded = Math.round(nearest);
    const text = ZONE_TEXTS[you ? 0 : 1]![rounded] ?? writeZone(rounded, you);
    if (rounded <= 4) reasonFor(WEIGHTS.timezone * timezone, text);
    else reasonAgainst(text);
  }

  const { urgency, freshness, ageDays } = item;
  if (you) {
    if (o.urgency === "critical" || o.urgency === "high") {
      reasonFor(WEIGHTS.urgency * urgency, o.urgency === "critical" ? "marked critical" : "marked urgent");
    }
    if (ageDays < 7) reasonFor(WEIGHTS.freshness * freshness, POSTED_TEXTS[Math.floor(ageDays)]!);
  }

  // priorOf's expression, with the values already at hand (the same bits).
  const prior = WEIGHTS.urgency * urgency + WEIGHTS.freshness * freshness;
  const score = combine(bonus, skill, role, availability, timezone, django, prior);
  return score < 0 ? "score" : score;
}

/** At most this many reasons say why it fits; every misfit is always said. */
export const MAX_POSITIVE_REASONS = 3;

/** Reasons as shown: the strongest positives found first (ties in the order found), then every misfit. */
function reasonsFound(): string[] {
  const { texts, strengths } = found;
  // A stable insertion sort of a handful of reasons, strongest first, in place.
  for (let n = 1; n < found.positives; n++) {
    const text = texts[n]!;
    const strength = strengths[n]!;
    let at = n;
    while (at > 0 && strengths[at - 1]! < strength) {
      texts[at] = texts[at - 1]!;
      strengths[at] = strengths[at - 1]!;
      at -= 1;
    }
    texts[at] = text;
    strengths[at] = strength;
  }
  const shown = Math.min(found.positives, MAX_POSITIVE_REASONS);
  const reasons: string[] = new Array<string>(shown + found.misfits);
  for (let n = 0; n < shown; n++) reasons[n] = texts[n]!;
  for (let n = 0; n < found.misfits; n++) reasons[shown + n] = found.against[n]!;
  return reasons;
}

/** Scores one opportunity for one volunteer; null when the rules exclude it. */
export function scoreOpportunity(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
  side: Side = "volunteer",
): { score: number; reasons: string[] } | null {
  const score = weigh(v, o, now, skillNames, side === "volunteer");
  return typeof score === "string" ? null : { score, reasons: reasonsFound() };
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

/** An opportunity's line in a digest, as the matcher scored and `assess` explained it. */
export function opportunityLine(o: Opportunity, order: number, score: number, reasons: string[]): Match {
  return {
    kind: o.kind,
    id: o.id,
    section: o.section,
    packageId: o.packageId,
    packageName: o.packageName,
    title: o.title,
    path: o.path,
    score,
    reasons,
    updatedAt: o.updatedAt,
    order,
  };
}

/** A maintainer's line for an interest in their call, new since their last digest. */
export function interestLine(i: NewInterest): Match {
  return {
    kind: "interest",
    id: String(i.id),
    section: "people",
    packageId: i.packageId,
    packageName: i.packageName,
    title: `@${i.volunteerLogin} is interested in “${i.callTitle}”`,
    path: `/calls/${i.callId}`,
    score: 1,
    reasons: ["new since your last digest; they are waiting for your answer"],
    updatedAt: i.createdAt,
    order: i.id,
  };
}
