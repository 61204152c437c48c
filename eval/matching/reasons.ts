// Checks a digest line's reasons against the data, by the exact wordings of the spec: each reason
// must parse, be true, name no level below what the item asks as a positive; positives come first,
// strongest first (by the documented contribution), at most three; then every misfit, in order.
import type { Level, Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";
import {
  ageDays,
  apart,
  chosenFittingRole,
  credit,
  freshness,
  levelNo,
  metSkills,
  nearest,
  ROLE_WORDS,
  sharedVersions,
  skillsValue,
  URGENCY,
  W,
} from "./spec.ts";

export type Side = "volunteer" | "maintainer";
export type ProblemKind = "wording" | "false" | "below-level" | "unstated-misfit" | "misfit-first" | "order";
export const PROBLEM_LABELS: Record<ProblemKind, string> = {
  wording: "not a wording of the spec",
  false: "false fact",
  "below-level": "a level below the asked one presented as a positive",
  "unstated-misfit": "a misfit that exists but is not stated",
  "misfit-first": "a positive after a misfit",
  order: "positives not strongest first (or misfits out of order, or more than 3 positives)",
};
export type Problem = { kind: ProblemKind; reason: string; detail: string };

export type ReasonContext = {
  now: number;
  skillNames: Map<string, string>;
  /** Maintainer side: the reader's own offset (a "N hours from you" may be measured from them). */
  readerOffset?: number | null;
};

type Signal = "trust" | "skills" | "role" | "hours" | "django" | "timezone" | "urgency" | "freshness";
const SIGNAL_ORDER: Signal[] = ["trust", "skills", "role", "hours", "django", "timezone", "urgency", "freshness"];
type Misfit = "hours" | "level" | "missing" | "django" | "timezone";
const MISFIT_ORDER: Misfit[] = ["hours", "level", "missing", "django", "timezone"];

type Claim =
  | { positive: true; signal: Signal; wrong: string[]; belowLevel: string[] }
  | { positive: false; misfit: Misfit; keys: string[]; wrong: string[] };

const LEVEL = "(learning|comfortable|expert)";
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const hoursWord = (n: number, word: string) => (n === 1) === (word === "hour");
/** A rounded hour count: either rounding is fine at exactly .5. */
const roundsTo = (n: number, x: number) => n === Math.round(x) || (x % 1 === 0.5 && n === Math.floor(x));

/**
 * Splits "a, b and c" into known names (names may contain " and "), each optionally prefixed
 * "<level> in ". Null when the text is not such a list.
 */
export function splitNames(
  text: string,
  names: string[],
  withLevel: boolean,
): { level?: Level; name: string }[] | null {
  const sorted = [...names].sort((a, b) => b.length - a.length);
  const go = (at: number): { level?: Level; name: string }[] | null => {
    let level: Level | undefined;
    let p = at;
    if (withLevel) {
      const m = /^(learning|comfortable|expert) in /.exec(text.slice(p));
      if (!m) return null;
      level = m[1] as Level;
      p += m[0].length;
    }
    for (const name of sorted) {
      if (!text.startsWith(name, p)) continue;
      const end = p + name.length;
      if (end === text.length) return [{ level, name }];
      for (const sep of [", ", " and "]) {
        if (!text.startsWith(sep, end)) continue;
        const rest = go(end + sep.length);
        if (rest) return [{ level, name }, ...rest];
      }
    }
    return null;
  };
  return go(0);
}

function parse(side: Side, r: string, v: Volunteer, o: Opportunity, ctx: ReasonContext): Claim | null {
  const they = side === "maintainer";
  const idOf = new Map([...ctx.skillNames].map(([id, name]) => [name, id]));
  const names = [...ctx.skillNames.values()];
  const wanted = new Map(o.skills.map((s) => [s.skillId, s.level]));
  const pos = (signal: Signal, wrong: string[] = [], belowLevel: string[] = []): Claim => ({
    positive: true,
    signal,
    wrong,
    belowLevel,
  });
  const mis = (misfit: Misfit, keys: string[], wrong: string[] = []): Claim => ({
    positive: false,
    misfit,
    keys,
    wrong,
  });
  const check = (ok: boolean, why: string) => (ok ? [] : [why]);
  let m: RegExpExecArray | null;

  // Trust
  if (r === (they ? "an active roadie" : "it needs a roadie, and you are one")) {
    return pos("trust", [
      ...check(v.isRoadie, "the person is not a roadie"),
      ...check(they || o.requires === "roadie", "the item does not need a roadie"),
    ]);
  }
  if (!they && r === "it asks for programme alumni, and you are one") {
    return pos("trust", [
      ...check(v.isAlumnus, "the person is not an alumnus"),
      ...check(o.requires === "alumni", "the item does not ask for alumni"),
    ]);
  }
  // Skills met
  const needsRe = they ? /^(.+), which your call needs$/ : /^(.+), which this (call|project|transfer) needs$/;
  if ((m = needsRe.exec(r)) && /^(learning|comfortable|expert) in /.test(m[1]!)) {
    const list = splitNames(m[1]!, names, true);
    if (!list) return null;
    const wrong: string[] = [];
    const below: string[] = [];
    if (!they && m[2] !== o.kind) wrong.push(`says "this ${m[2]}" of a ${o.kind}`);
    for (const { level, name } of list) {
      const id = idOf.get(name)!;
      const asked = wanted.get(id);
      const have = v.skills.get(id);
      if (!asked) wrong.push(`the item does not need ${name}`);
      else if (have !== level) wrong.push(`${name}: the person is ${have ?? "not listed"}, not ${level}`);
      else if (have && levelNo(have) < levelNo(asked)) below.push(`${level} in ${name}, the item asks ${asked}`);
    }
    return pos("skills", wrong, below);
  }
  // Role
  m = (they ? /^would like to be (.+)$/ : /^you said you would like to be (.+)$/).exec(r);
  if (m) {
    const role = Object.keys(ROLE_WORDS).find((k) => ROLE_WORDS[k] === m![1]);
    if (!role) return null;
    const wrong = v.rolesWanted.includes(role)
      ? check(chosenFittingRole(v, o) !== null && fitsRole(o, role), `"${role}" does not fit this item`)
      : [`the person did not choose "${role}"`];
    return pos("role", wrong);
  }
  // Hours
  m = (
    they ? /^asks (\d+) (hours?) a week; they offered (\d+)$/ : /^asks (\d+) (hours?) a week; you offered (\d+)$/
  ).exec(r);
  if (m) {
    const n = Number(m[1]);
    const offered = Number(m[3]);
    const wrong = [
      ...check(hoursWord(n, m[2]!), "hour/hours"),
      ...check(o.hoursPerWeek === n, `the item asks ${o.hoursPerWeek ?? "no"} hours`),
      ...check(v.availabilityHours === offered, `the person offered ${v.availabilityHours ?? "no"} hours`),
    ];
    return offered >= n ? pos("hours", wrong) : mis("hours", ["hours"], wrong);
  }
  m = (
    they
      ? /^asks (\d+) (hours?) a week; they have not said how many they can give$/
      : /^asks (\d+) (hours?) a week; you have not said how many you can give$/
  ).exec(r);
  if (m) {
    const n = Number(m[1]);
    return mis(
      "hours",
      ["hours"],
      [
        ...check(hoursWord(n, m[2]!), "hour/hours"),
        ...check(o.hoursPerWeek === n, `the item asks ${o.hoursPerWeek ?? "no"} hours`),
        ...check(v.availabilityHours === null, `the person offered ${v.availabilityHours} hours`),
      ],
    );
  }
  // Django
  m = (they ? /^knows Django (.+)$/ : /^targets Django (.+), which you know$/).exec(r);
  if (m) {
    const shared = sharedVersions(v, o);
    return pos(
      "django",
      check(shared.length > 0 && sameSet(m[1]!.split(", "), shared), `shared: ${shared.join(", ")}`),
    );
  }
  m = (they ? /^did not list Django (\d[\d.]*(?:, \d[\d.]*)*)$/ : /^targets Django (.+), which you did not list$/).exec(
    r,
  );
  if (m) {
    const listed = m[1]!.split(", ");
    return mis(
      "django",
      ["django"],
      [
        ...check(v.djangoVersions.length > 0 && sharedVersions(v, o).length === 0, "not a Django misfit"),
        ...check(sameSet(listed, o.djangoVersions), `the item targets ${o.djangoVersions.join(", ")}`),
      ],
    );
  }
  // Time zones
  if (r === (they ? "in your time zone" : "its maintainers are in your time zone")) {
    return pos(
      "timezone",
      check(
        tzCandidates(side, v, o, ctx).some((x) => roundsTo(0, x)),
        "not within half an hour",
      ),
    );
  }
  m = (they ? /^(\d+) (hours?) from you$/ : /^its maintainers are (\d+) (hours?) from you$/).exec(r);
  if (m) {
    const n = Number(m[1]);
    const wrong = [
      ...check(hoursWord(n, m[2]!), "hour/hours"),
      ...check(n > 0 && tzCandidates(side, v, o, ctx).some((x) => roundsTo(n, x)), "wrong number of hours"),
    ];
    return n <= 4 ? pos("timezone", wrong) : mis("timezone", ["timezone"], wrong);
  }
  // Item facts (volunteer side only)
  if (!they && r === "marked critical") return pos("urgency", check(o.urgency === "critical", `it is ${o.urgency}`));
  if (!they && r === "marked urgent") return pos("urgency", check(o.urgency === "high", `it is ${o.urgency}`));
  if (!they && r === "posted today") return pos("freshness", check(ageDays(o, ctx.now) < 1, "older"));
  if (!they && (m = /^posted (\d+) (days?) ago$/.exec(r))) {
    const n = Number(m[1]);
    const age = ageDays(o, ctx.now);
    return pos("freshness", [
      ...check(hoursWord(n, m[2]! === "day" ? "hour" : "hours"), "day/days"),
      ...check(n >= 1 && n < 7 && Math.floor(age) === n, `posted ${age.toFixed(1)} days ago`),
    ]);
  }
  // Skill misfits
  m = (
    they
      ? new RegExp(`^your call needs (.+) at ${LEVEL}; they are ${LEVEL}$`)
      : new RegExp(`^needs (.+) at ${LEVEL}; you are ${LEVEL}$`)
  ).exec(r);
  if (m) {
    const id = idOf.get(m[1]!);
    if (!id) return null;
    const asked = wanted.get(id);
    const have = v.skills.get(id);
    return mis(
      "level",
      [`level:${id}`],
      [
        ...check(asked === m[2], `the item asks ${asked ?? "nothing"}`),
        ...check(have === m[3], `the person is ${have ?? "not listed"}`),
        ...check(!!asked && !!have && levelNo(have) < levelNo(asked), "not below the asked level"),
      ],
    );
  }
  m = (they ? /^did not list (.+), which your call needs$/ : /^also needs (.+), which you did not list$/).exec(r);
  if (m) {
    const list = splitNames(m[1]!, names, false);
    if (!list) return null;
    const wrong: string[] = [];
    const keys: string[] = [];
    for (const { name } of list) {
      const id = idOf.get(name)!;
      keys.push(`missing:${id}`);
      if (!wanted.has(id)) wrong.push(`the item does not need ${name}`);
      if (v.skills.has(id)) wrong.push(`the person lists ${name}`);
    }
    return mis("missing", keys, wrong);
  }
  return null;
}

function fitsRole(o: Opportunity, role: string): boolean {
  const probe: Volunteer = { ...emptyVolunteer, rolesWanted: [role] };
  return chosenFittingRole(probe, o) === role;
}
const emptyVolunteer: Volunteer = {
  id: 0,
  login: "",
  offsetHours: null,
  availabilityHours: null,
  skills: new Map(),
  rolesWanted: [],
  djangoVersions: [],
  isRoadie: false,
  isAlumnus: false,
  discoverable: true,
};

/** Hours between the person and the item's maintainers (nearest); on the maintainer side also the reader. */
function tzCandidates(side: Side, v: Volunteer, o: Opportunity, ctx: ReasonContext): number[] {
  const out: number[] = [];
  const n = nearest(v.offsetHours, o.maintainerOffsets);
  if (n !== null) out.push(n);
  if (side === "maintainer" && ctx.readerOffset != null && v.offsetHours !== null) {
    out.push(apart(v.offsetHours, ctx.readerOffset));
  }
  return out;
}

/** What each positive signal adds to the score (weight × value), per the documented formula. */
export function contributions(side: Side, v: Volunteer, o: Opportunity, now: number): Map<Signal, number> {
  const out = new Map<Signal, number>();
  if (o.requires === "roadie" ? v.isRoadie : o.requires === "alumni" && v.isAlumnus) out.set("trust", W.trust);
  if (metSkills(v, o) > 0) out.set("skills", W.skills * skillsValue(v, o));
  if (chosenFittingRole(v, o)) out.set("role", W.role);
  if (o.hoursPerWeek !== null && v.availabilityHours !== null && v.availabilityHours >= o.hoursPerWeek) {
    out.set("hours", W.hours);
  }
  if (sharedVersions(v, o).length > 0) out.set("django", W.django);
  const n = nearest(v.offsetHours, o.maintainerOffsets);
  if (n !== null && Math.round(n) <= 4) out.set("timezone", W.timezone * (1 - n / 12));
  if (side === "volunteer") {
    if (o.urgency === "critical" || o.urgency === "high") out.set("urgency", 0.03 * URGENCY[o.urgency]);
    if (ageDays(o, now) < 7) out.set("freshness", 0.02 * freshness(o, now));
  }
  return out;
}

/** The misfits the line must state (keys as the parser reports them). */
export function expectedMisfits(side: Side, v: Volunteer, o: Opportunity, ctx: ReasonContext): string[] {
  const out: string[] = [];
  const offered = v.availabilityHours;
  if (o.hoursPerWeek !== null && (offered === null || offered < o.hoursPerWeek)) out.push("hours");
  for (const s of o.skills) {
    const have = v.skills.get(s.skillId);
    if (have && credit(have, s.level, true) < 1) out.push(`level:${s.skillId}`);
    if (!have && v.skills.size > 0) out.push(`missing:${s.skillId}`);
  }
  if (v.djangoVersions.length > 0 && o.djangoVersions.length > 0 && sharedVersions(v, o).length === 0) {
    out.push("django");
  }
  const far = tzCandidates(side, v, o, ctx);
  if (far.length > 0 && far.every((x) => Math.floor(x + 0.5) > 4 && !(x % 1 === 0.5 && Math.floor(x) <= 4))) {
    out.push("timezone");
  }
  return out;
}

const EPS = 1e-9;

/** Every problem with one line's reasons. */
export function checkReasons(
  side: Side,
  v: Volunteer,
  o: Opportunity,
  reasons: string[],
  ctx: ReasonContext,
): Problem[] {
  const problems: Problem[] = [];
  const contrib = contributions(side, v, o, ctx.now);
  const shown: { signal: Signal; reason: string }[] = [];
  const misfits: { misfit: Misfit; reason: string }[] = [];
  const covered = new Set<string>();
  for (const reason of reasons) {
    const claim = parse(side, reason, v, o, ctx);
    if (!claim) {
      problems.push({ kind: "wording", reason, detail: "matches no wording of the spec" });
      continue;
    }
    for (const detail of claim.wrong) problems.push({ kind: "false", reason, detail });
    if (claim.positive) {
      for (const detail of claim.belowLevel) problems.push({ kind: "below-level", reason, detail });
      if (misfits.length > 0) {
        const detail =
          claim.signal === "timezone"
            ? "within 4 hours once rounded, so a positive, but placed among the misfits"
            : "a positive after a misfit";
        problems.push({ kind: "misfit-first", reason, detail });
      }
      shown.push({ signal: claim.signal, reason });
    } else {
      claim.keys.forEach((k) => covered.add(k));
      misfits.push({ misfit: claim.misfit, reason });
    }
  }
  // Strongest first, ties in the listed order.
  const strength = (s: Signal) => contrib.get(s) ?? 0;
  const before = (a: Signal, b: Signal) =>
    strength(a) > strength(b) + EPS ||
    (Math.abs(strength(a) - strength(b)) <= EPS && SIGNAL_ORDER.indexOf(a) < SIGNAL_ORDER.indexOf(b));
  for (let i = 1; i < shown.length; i++) {
    const [a, b] = [shown[i - 1]!, shown[i]!];
    if (!before(a.signal, b.signal)) {
      const detail = `${a.signal} (${strength(a.signal).toFixed(3)}) before ${b.signal} (${strength(b.signal).toFixed(3)})`;
      problems.push({ kind: "order", reason: b.reason, detail });
    }
  }
  if (shown.length > 3) problems.push({ kind: "order", reason: shown[3]!.reason, detail: "more than 3 positives" });
  const weakestShown = shown.reduce<Signal | null>((w, s) => (w === null || before(w, s.signal) ? s.signal : w), null);
  if (weakestShown) {
    for (const [signal] of contrib) {
      if (shown.some((s) => s.signal === signal)) continue;
      if (before(signal, weakestShown) && strength(signal) > strength(weakestShown) + EPS) {
        problems.push({ kind: "order", reason: "", detail: `leaves out ${signal}, stronger than ${weakestShown}` });
      }
    }
  }
  for (let i = 1; i < misfits.length; i++) {
    const [a, b] = [misfits[i - 1]!, misfits[i]!];
    if (MISFIT_ORDER.indexOf(a.misfit) > MISFIT_ORDER.indexOf(b.misfit)) {
      problems.push({ kind: "order", reason: b.reason, detail: `misfit ${a.misfit} before ${b.misfit}` });
    }
  }
  for (const key of expectedMisfits(side, v, o, ctx)) {
    if (!covered.has(key)) problems.push({ kind: "unstated-misfit", reason: "", detail: key });
  }
  return problems;
}
