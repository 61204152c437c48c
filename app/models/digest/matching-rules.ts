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

const ROLE_LABEL: Record<string, string> = {
  "co-maintainer": "a co-maintainer",
  "new-owner": "a new owner of a package",
  "triager-reviewer": "a triager or reviewer",
  mentor: "a mentor",
  mentee: "a mentee",
};

/** The roles that fit an item, in order of preference. Trust-restricted items are decided by trust alone. */
export function rolesFor(o: Pick<Opportunity, "kind" | "callKind" | "mentoring">): readonly string[] {
  if (o.kind === "project") return ROLES_FOR_PROJECT;
  if (!o.callKind) return o.mentoring ? MENTEE_ONLY : NONE;
  return (o.mentoring ? ROLES_WITH_MENTORING : ROLES_FOR_KIND)[o.callKind];
}

/**
 * The role signal from the person's chosen roles: 1 for a chosen role that fits, UNKNOWN.role when
 * they chose none (taking a package over is never suggested without "new owner" chosen), -1 when
 * the rules exclude the item.
 */
export function roleValue(rolesWanted: readonly string[], o: Pick<Opportunity, "kind" | "callKind" | "mentoring">) {
  if (rolesWanted.length === 0) return o.callKind === "new-maintainer" && o.kind === "call" ? -1 : UNKNOWN.role;
  return rolesFor(o).some((r) => rolesWanted.includes(r)) ? 1 : -1;
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

/** Halves every two weeks after posting. */
export function freshnessValue(o: Pick<Opportunity, "createdAt">, now: number): number {
  return Math.pow(0.5, Math.max(0, (now - o.createdAt) / DAY_MS) / 14);
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
  for (const m of maintainerOffsets) nearest = Math.min(nearest, hoursApart(offset, m));
  return nearest;
}

/** Which side reads the reasons: the volunteer, or the maintainer of the call being suggested people. */
export type Side = "volunteer" | "maintainer";

type Reason = { text: string; strength: number };

/** Everything about one pair: the score (or why the rules exclude it) and the facts the reasons state. */
export type Assessment =
  | { fits: false; rule: "trust" | "hours" | "role" | "level" | "no-fit" | "score" }
  | { fits: true; score: number; positives: Reason[]; misfits: string[] };

/** "a", "a and b", "a, b and c" (a loop: slice and join cost more, on every line explained). */
const list = (items: string[]) => {
  if (items.length <= 1) return items[0] ?? "";
  let text = items[0]!;
  for (let n = 1; n < items.length - 1; n++) text += `, ${items[n]}`;
  return `${text} and ${items[items.length - 1]}`;
};
const hours = (n: number) => `${n} ${n === 1 ? "hour" : "hours"}`;

// Texts that many lines share (a run explains about 440,000 lines) are written once and then
// shared: the same words, without building and collecting them line after line. Pure: never stale.

/** "expert in Django ORM", by skill name and level (names are few: the skills taxonomy). */
const heldTexts = new Map<string, string[]>();
function heldText(have: Level, name: string): string {
  let texts = heldTexts.get(name);
  if (!texts) heldTexts.set(name, (texts = []));
  return (texts[LEVEL_VALUE[have]] ??= `${have} in ${name}`);
}

/** Text built from one shared text (a skill, Django versions) by `write`, kept per `write`: memo(write)(part). */
function memo(write: (part: string) => string): (part: string) => string {
  const texts = new Map<string, string>();
  return (part) => {
    let text = texts.get(part);
    if (text === undefined) texts.set(part, (text = write(part)));
    return text;
  };
}
/** "expert in Django ORM, which this call needs", for one skill held (the usual case), by what reads it. */
const needsTexts = {
  call: memo((held) => `${held}, which this call needs`),
  project: memo((held) => `${held}, which this project needs`),
  transfer: memo((held) => `${held}, which this transfer needs`),
  maintainer: memo((held) => `${held}, which your call needs`),
};
const knowsTexts = [
  memo((versions) => `targets Django ${versions}, which you know`),
  memo((versions) => `knows Django ${versions}`),
];

/** "asks 5 hours a week; you offered 4", or that they did not say how many. */
function writeHours(asked: number, offered: number | null, you: boolean): string {
  const asks = `asks ${hours(asked)} a week`;
  if (offered === null) {
    return `${asks}; ${you ? "you have not said how many you can give" : "they have not said how many they can give"}`;
  }
  return `${asks}; ${you ? "you" : "they"} offered ${offered}`;
}
/** Whole numbers of hours below this share their texts (all the usual ones); others are written each time. */
const SHARED_HOURS = 1000;
const hoursTexts = new Map<number, string>();
const sharesText = (n: number) => Number.isInteger(n) && n >= 0 && n < SHARED_HOURS;
function hoursText(asked: number, offered: number | null, you: boolean): string {
  if (!sharesText(asked) || (offered !== null && !sharesText(offered))) return writeHours(asked, offered, you);
  const key = ((asked * (SHARED_HOURS + 1) + (offered ?? SHARED_HOURS)) << 1) | (you ? 0 : 1);
  let text = hoursTexts.get(key);
  if (text === undefined) hoursTexts.set(key, (text = writeHours(asked, offered, you)));
  return text;
}

/** "its maintainers are 2 hours from you", by hours rounded (0 to 12: the short way round the clock). */
const writeZone = (rounded: number, you: boolean) =>
  rounded === 0
    ? you
      ? "its maintainers are in your time zone"
      : "in your time zone"
    : `${you ? "its maintainers are " : ""}${hours(rounded)} from you`;
const ZONE_TEXTS = [true, false].map((you) => Array.from({ length: 13 }, (_, rounded) => writeZone(rounded, you)));

/** "posted 3 days ago", in the first week. */
const POSTED_TEXTS = Array.from({ length: 7 }, (_, days) =>
  days === 0 ? "posted today" : `posted ${days} ${days === 1 ? "day" : "days"} ago`,
);

/** "you said you would like to be a co-maintainer", by side and role. */
const roleTexts = [new Map<string, string>(), new Map<string, string>()];
function roleText(chosen: string, you: boolean): string {
  const texts = roleTexts[you ? 0 : 1]!;
  let text = texts.get(chosen);
  if (text === undefined) {
    text = `${you ? "you said you would like to be" : "would like to be"} ${ROLE_LABEL[chosen] ?? chosen}`;
    texts.set(chosen, text);
  }
  return text;
}

/**
 * The rules and the score of one item for one person, with the reasons written for `side`. The
 * reference for the fast matcher (matcher.ts computes the same score from numbers) and the only
 * place the rules of docs/matching.md are written.
 */
export function assess(
  v: Volunteer,
  o: Opportunity,
  now: number,
  skillNames: Map<string, string>,
  side: Side = "volunteer",
): Assessment {
  const you = side === "volunteer";
  let bonus = 0;
  const positives: Reason[] = [];
  const misfits: string[] = [];
  if (o.requires !== null) {
    const has = o.requires === "roadie" ? v.isRoadie : v.isAlumnus;
    if (!has) return { fits: false, rule: "trust" };
    bonus = TRUST_BONUS;
    positives.push({
      strength: TRUST_BONUS,
      text: you
        ? o.requires === "roadie"
          ? "it needs a roadie, and you are one"
          : "it asks for programme alumni, and you are one"
        : o.requires === "roadie"
          ? "an active roadie"
          : "a programme alumnus",
    });
  }

  const availability = hoursValue(v.availabilityHours, o.hoursPerWeek);
  if (availability < 0) return { fits: false, rule: "hours" };
  // A transfer needs a roadie, whatever roles they chose for themselves.
  const role = o.kind === "transfer" ? Math.max(0, roleValue(v.rolesWanted, o)) : roleValue(v.rolesWanted, o);
  if (role < 0) return { fits: false, rule: "role" };

  // Skills: the credit of each the item needs, and what the person lacks or holds below the level.
  let credit = 0;
  const met: string[] = [];
  const missing: string[] = [];
  for (const wanted of o.skills) {
    const have = v.skills.get(wanted.skillId);
    const name = skillNames.get(wanted.skillId) ?? wanted.skillId;
    if (!have) {
      missing.push(name);
      continue;
    }
    const c = skillCredit(LEVEL_VALUE[have], LEVEL_VALUE[wanted.level]);
    if (c === 0.25 && !o.mentoring) return { fits: false, rule: "level" };
    credit += c;
    if (c === 1) met.push(heldText(have, name));
    else
      misfits.push(
        you
          ? `needs ${name} at ${wanted.level}; you are ${have}`
          : `your call needs ${name} at ${wanted.level}; they are ${have}`,
      );
  }
  const skill = skillValue(credit, o.skills.length);
  // Something must say this person fits: a shared skill, or a role they chose that fits.
  if (o.requires === null) {
    const sharesSkill = credit > 0;
    const bothListSkills = o.skills.length > 0 && v.skills.size > 0;
    if (bothListSkills ? !sharesSkill : !(role === 1)) return { fits: false, rule: "no-fit" };
  }
  const what = o.kind === "project" ? "this project" : o.kind === "transfer" ? "this transfer" : "this call";
  if (met.length > 0) {
    positives.push({
      strength: WEIGHTS.skills * skill,
      text:
        met.length === 1
          ? needsTexts[you ? o.kind : "maintainer"](met[0]!)
          : `${list(met)}, which ${you ? what : "your call"} needs`,
    });
  }
  if (missing.length > 0 && v.skills.size > 0) {
    misfits.push(
      you
        ? `also needs ${list(missing)}, which you did not list`
        : `did not list ${list(missing)}, which your call needs`,
    );
  }

  if (role === 1) {
    const chosen = rolesFor(o).find((r) => v.rolesWanted.includes(r))!;
    positives.push({
      strength: WEIGHTS.role,
      text: roleText(chosen, you),
    });
  }

  if (o.hoursPerWeek !== null) {
    const text = hoursText(o.hoursPerWeek, v.availabilityHours, you);
    // Hours offered that meet the ask are a reason; short or unknown ones come first among the misfits.
    if (availability === 1) positives.push({ strength: WEIGHTS.availability, text });
    else misfits.unshift(text);
  }

  let django: number = UNKNOWN.django;
  if (o.djangoVersions.length > 0 && v.djangoVersions.length > 0) {
    const shared: string[] = [];
    for (const d of o.djangoVersions) if (v.djangoVersions.includes(d)) shared.push(d);
    if (shared.length > 0) {
      django = 1;
      positives.push({
        strength: WEIGHTS.django,
        text: knowsTexts[you ? 0 : 1]!(shared.join(", ")),
      });
    } else {
      misfits.push(
        you
          ? `targets Django ${o.djangoVersions.join(", ")}, which you did not list`
          : `did not list Django ${o.djangoVersions.join(", ")}`,
      );
    }
  }

  let timezone: number = UNKNOWN.timezone;
  if (v.offsetHours !== null && o.maintainerOffsets.length > 0) {
    const nearest = nearestMaintainer(v.offsetHours, o.maintainerOffsets);
    timezone = 1 - nearest / 12;
    const rounded = Math.round(nearest);
    const text = ZONE_TEXTS[you ? 0 : 1]![rounded] ?? writeZone(rounded, you);
    if (rounded <= 4) positives.push({ strength: WEIGHTS.timezone * timezone, text });
    else misfits.push(text);
  }

  const urgency = urgencyValue(o);
  const freshness = freshnessValue(o, now);
  if (you) {
    if (o.urgency === "critical" || o.urgency === "high") {
      positives.push({
        strength: WEIGHTS.urgency * urgency,
        text: o.urgency === "critical" ? "marked critical" : "marked urgent",
      });
    }
    const ageDays = Math.max(0, (now - o.createdAt) / DAY_MS);
    if (ageDays < 7) {
      positives.push({ strength: WEIGHTS.freshness * freshness, text: POSTED_TEXTS[Math.floor(ageDays)]! });
    }
  }

  // priorOf's expression, with the values already at hand (the same bits).
  const prior = WEIGHTS.urgency * urgency + WEIGHTS.freshness * freshness;
  const score = combine(bonus, skill, role, availability, timezone, django, prior);
  if (score < 0) return { fits: false, rule: "score" };
  return { fits: true, score, positives, misfits };
}

/** At most this many reasons say why it fits; every misfit is always said. */
export const MAX_POSITIVE_REASONS = 3;

/** Reasons as shown: the strongest positives first (ties in the order they were found), then every misfit. */
export function reasonsOf(a: Extract<Assessment, { fits: true }>): string[] {
  // A stable insertion sort of a handful of reasons, strongest first (in place: splice costs more
  // than the sort for every line of every digest).
  const order = a.positives.slice();
  for (let n = 1; n < order.length; n++) {
    const r = order[n]!;
    let at = n;
    while (at > 0 && order[at - 1]!.strength < r.strength) {
      order[at] = order[at - 1]!;
      at -= 1;
    }
    order[at] = r;
  }
  const reasons: string[] = [];
  for (let n = 0; n < order.length && n < MAX_POSITIVE_REASONS; n++) reasons.push(order[n]!.text);
  for (const m of a.misfits) reasons.push(m);
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
  const a = assess(v, o, now, skillNames, side);
  return a.fits ? { score: a.score, reasons: reasonsOf(a) } : null;
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
