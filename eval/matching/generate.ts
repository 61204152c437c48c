// `npx tsx eval/matching/generate.ts --profile standard --seed 1 --name standard` (the committed sets:
// standard = profile standard, seed 1; hard = profile hard, seed 2; written to eval/matching/sets/NAME.json).
// Builds a labelled set for the matching evaluation, deterministically from a seed (no database):
// for each volunteer one item built the way a maintainer would pick for them (two or more of their
// skills at or below their level, a kind fitting a chosen role, hours within what they offer,
// maintainers within a few hours), distractors that each break exactly one hard rule, and shared
// competition (popular skills with many urgent one-skill calls, maintainers with no time zone,
// transfers, projects, calls needing no skill). Labels are checked exhaustively: a volunteer for
// whom any other allowed item fits as well (more skills met, or a fit within the largest possible
// urgency and freshness difference) is rebuilt, and dropped after a few tries.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { CallKind } from "#db/schema/calls.ts";
import {
  CALL_KINDS,
  DATE_LINE,
  DAY,
  KINDS_FOR_ROLE,
  LISTABLE,
  NOW,
  OLD_VERSIONS,
  POPULAR,
  PROFILES,
  rng,
  SKILLS,
  VERSIONS,
  ZONES,
  type Profile,
  type Rng,
} from "./catalogue.ts";
import type { Level, MaintainerCall, Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";
import { itemKey, writeSet, type Control, type Label, type LabelledSet } from "./set-file.ts";
import { apart, fitRange, MAX_PRIOR, metSkills, ruleBreaks, type RuleName } from "./spec.ts";

/** How much better (in fit) the intended item must be than any other allowed item, beyond any prior. */
const MARGIN = 0.005;
/** Tries per volunteer (a new profile and new items each time) before they are dropped. */
const MAX_ATTEMPTS = 12;

type Maintainer = { id: number; zone: string | null; offset: number | null };
type Built = { item: Opportunity; maintainers: Maintainer[] };

export function generate(profileName: string, seed: number, name = `${profileName}-${seed}`): LabelledSet {
  const found = PROFILES[profileName];
  if (!found) throw new Error(`Unknown profile ${profileName} (${Object.keys(PROFILES).join(", ")})`);
  const profile: Profile = found;
  const r = rng(seed);
  let nextItem = 1;
  let nextPerson = 100_000;
  const newMaintainer = (zone: [string, number] | null): Maintainer => ({
    id: nextPerson++,
    zone: zone?.[0] ?? null,
    offset: zone?.[1] ?? null,
  });
  const zoneNear = (g: Rng, offset: number | null, within: number): [string, number] => {
    if (offset === null) return g.pick(ZONES);
    const near = ZONES.filter(([, o]) => apart(o, offset) <= within);
    return g.pick(near.length > 0 ? near : ZONES);
  };

  /** One item; `age` is how long ago it was posted (ms). */
  function build(
    g: Rng,
    o: Partial<Opportunity> & Pick<Opportunity, "kind" | "skills"> & { age?: number },
    zones: ([string, number] | null)[],
  ): Built {
    const n = nextItem++;
    const id = String(n);
    const callKind =
      o.kind === "project" ? null : o.kind === "transfer" ? "new-maintainer" : (o.callKind ?? "co-maintainer");
    const maintainers = zones.map(newMaintainer);
    const createdAt = NOW - (o.age ?? g.int(8, 45) * DAY);
    const item: Opportunity = {
      kind: o.kind,
      id,
      section:
        o.kind === "project"
          ? "programs"
          : o.kind === "transfer" || callKind === "new-maintainer"
            ? "transfers"
            : "calls",
      packageId: n,
      packageName: `django-eval-${n}`,
      title: `${o.kind === "project" ? "Mentoring project" : (callKind ?? "call")} #${n}`,
      path: o.kind === "project" ? `/programs/p${n}` : `/calls/${n}`,
      callKind,
      skills: o.skills,
      hoursPerWeek: o.hoursPerWeek === undefined ? null : o.hoursPerWeek,
      djangoVersions: o.djangoVersions ?? [],
      urgency: o.urgency ?? "normal",
      createdAt,
      updatedAt: createdAt,
      maintainerOffsets: maintainers.flatMap((m) => (m.offset === null ? [] : [m.offset])),
      requires: o.requires ?? null,
      mentoring: o.mentoring ?? o.kind === "project",
    };
    return { item, maintainers };
  }
  const randomVersions = (g: Rng) => (g.chance(0.3) ? [] : g.shuffle(VERSIONS.slice(1)).slice(0, g.int(1, 2)));
  const poolZones = (g: Rng) =>
    g.chance(profile.noTzMaintainers) ? [null] : Array.from({ length: g.int(1, 2) }, () => g.pick(ZONES));
  const tempting = (g: Rng) => ({
    urgency: g.pick(["high", "critical"] as const),
    age: g.int(0, 3) * DAY + g.int(0, 20) * 3_600_000,
  });

  // ---- Shared competition ----
  const pool: Built[] = [];
  for (const skill of POPULAR) {
    for (let i = 0; i < profile.poolPerPopular; i++) {
      const g = r;
      const level = g.pick(["learning", "comfortable"] as const);
      pool.push(
        build(
          g,
          {
            kind: "call",
            callKind: g.pick(CALL_KINDS.filter((k) => k !== "new-maintainer")),
            skills: g.chance(0.6)
              ? [{ skillId: skill, level }]
              : [
                  { skillId: skill, level },
                  { skillId: "legacy", level: "comfortable" },
                ],
            hoursPerWeek: g.chance(0.3) ? null : g.int(1, 8),
            djangoVersions: randomVersions(g),
            mentoring: g.chance(0.1),
            ...tempting(g),
          },
          poolZones(g),
        ),
      );
    }
  }
  for (let i = 0; i < 12; i++) {
    const kind = i % 3 === 0 ? "transfer" : i % 3 === 1 ? "project" : "call";
    pool.push(
      build(
        r,
        {
          kind,
          callKind: r.pick(["documentation", "triage-review", "co-maintainer"] as const),
          skills:
            kind === "call"
              ? []
              : [
                  { skillId: r.pick(POPULAR), level: kind === "project" ? "learning" : "comfortable" },
                  { skillId: "legacy", level: "learning" },
                ],
          requires: kind === "transfer" ? "roadie" : i === 4 || i === 10 ? "alumni" : null,
          hoursPerWeek: r.int(1, 5),
          djangoVersions: randomVersions(r),
          ...tempting(r),
        },
        poolZones(r),
      ),
    );
  }

  // ---- Labelled volunteers ----
  type Entry = { label: Label; volunteer: Volunteer; built: Built[]; attempt: number; index: number };
  function person(index: number, attempt: number): Entry | null {
    // The kind of person is fixed per index, so rebuilding an ambiguous one keeps the mix.
    const archetype = rng(seed * 1_000_003 + index * 7_919).weighted(profile.archetypes);
    const g = rng(seed * 1_000_003 + index * 7_919 + (attempt + 1) * 104_729);
    const zone = g.chance(profile.missingZone) ? null : g.pick(g.chance(profile.dateLine) ? DATE_LINE : ZONES);
    const skilled = archetype !== "roles-no-skills";
    const skills = new Map<string, Level>();
    if (skilled) {
      const pickFrom = [...POPULAR, ...POPULAR, ...LISTABLE];
      while (skills.size < g.int(3, 5)) {
        const level: Level =
          archetype === "mentee"
            ? g.pick(["learning", "learning", "comfortable"] as const)
            : archetype === "mentor"
              ? g.pick(["comfortable", "expert"] as const)
              : g.pick(["learning", "comfortable", "expert"] as const);
        skills.set(g.pick(pickFrom), level);
      }
    }
    const rolesWanted =
      archetype === "skilled-no-roles"
        ? []
        : archetype === "mentor"
          ? ["mentor"]
          : archetype === "mentee"
            ? g.chance(0.6)
              ? ["mentee"]
              : ["mentee", "triager-reviewer"]
            : archetype === "roles-no-skills"
              ? [g.pick(["triager-reviewer", "co-maintainer"])]
              : archetype === "roadie"
                ? g.shuffle(["new-owner", "co-maintainer", "triager-reviewer"]).slice(0, g.int(1, 2))
                : g.shuffle(["co-maintainer", "triager-reviewer", "new-owner", "mentor"]).slice(0, g.int(1, 2));
    const v: Volunteer = {
      id: index + 1,
      login: `vol${index + 1}`,
      offsetHours: zone?.[1] ?? null,
      availabilityHours: g.chance(profile.missingHours) ? null : g.int(2, 12),
      skills,
      rolesWanted,
      djangoVersions:
        archetype === "roles-no-skills"
          ? [g.pick(OLD_VERSIONS)]
          : g.chance(profile.missingDjango)
            ? []
            : g.shuffle(VERSIONS.slice(1)).slice(0, g.int(1, 2)),
      isRoadie: archetype === "roadie",
      isAlumnus: g.chance(0.08),
      discoverable: !g.chance(0.1),
    };

    // The intended item.
    const mine = [...skills.keys()];
    // Two or three of their skills, at most one of them popular (the popular ones have their own competition).
    const popular = g.shuffle(mine.filter((id) => POPULAR.includes(id))).slice(0, 1);
    let chosen = [...popular, ...g.shuffle(mine.filter((id) => !POPULAR.includes(id)))].slice(0, g.int(2, 3));
    if (chosen.length < 2) chosen = g.shuffle(mine).slice(0, 2);
    const want = (id: string): { skillId: string; level: Level } => {
      const have = skills.get(id)!;
      const lower = g.chance(0.4) && have !== "learning";
      return { skillId: id, level: lower ? (have === "expert" ? "comfortable" : "learning") : have };
    };
    const callKinds = rolesWanted.flatMap((role) => KINDS_FOR_ROLE[role] ?? []);
    let kind: Opportunity["kind"] = "call";
    let callKind: CallKind = g.pick(
      callKinds.length > 0 ? callKinds : CALL_KINDS.filter((k) => k !== "new-maintainer"),
    );
    if (archetype === "mentor") kind = "project";
    if (archetype === "mentee") callKind = g.pick(["documentation", "triage-review", "co-maintainer"] as const);
    if (archetype === "roadie" && (rolesWanted.includes("new-owner") || g.chance(0.3))) kind = "transfer";
    // Maintainers within a few hours (in the same zone for someone with no skills: little else tells calls apart).
    const near = skilled
      ? [zoneNear(g, v.offsetHours, 2), ...(g.chance(0.4) ? [zoneNear(g, v.offsetHours, 3)] : [])]
      : [zoneNear(g, v.offsetHours, 0)];
    const offered = v.availabilityHours;
    const intended = build(
      g,
      {
        kind,
        callKind,
        skills: skilled ? chosen.map(want) : g.chance(0.5) ? [] : [{ skillId: g.pick(LISTABLE), level: "comfortable" }],
        hoursPerWeek: offered
          ? g.int(Math.max(1, Math.ceil(offered * 0.4)), offered)
          : g.chance(0.5)
            ? null
            : g.int(2, 6),
        djangoVersions:
          v.djangoVersions.length > 0
            ? [...new Set([g.pick(v.djangoVersions), ...(g.chance(0.4) ? [g.pick(VERSIONS.slice(2))] : [])])]
            : randomVersions(g),
        urgency: g.pick(["low", "normal", "normal", "high"] as const),
        age: g.int(8, 45) * DAY,
        requires: kind === "transfer" ? "roadie" : null,
        mentoring: archetype === "mentee" || kind === "project",
      },
      near,
    );
    if (ruleBreaks(v, intended.item).length > 0) return null;

    // Distractors: a tempting copy of the intended item that breaks exactly one rule.
    const base = { ...intended.item, ...tempting(g) };
    const variants: [RuleName, Partial<Opportunity>][] = [];
    if (offered) variants.push(["hours", { hoursPerWeek: Math.floor(offered / 0.8) + g.int(1, 4) }]);
    const wrongKinds = CALL_KINDS.filter(
      (k) => !callKinds.includes(k) && (rolesWanted.length > 0 || k === "new-maintainer"),
    );
    if (wrongKinds.length > 0) {
      variants.push(["role", { kind: "call", callKind: g.pick(wrongKinds), mentoring: false, requires: null }]);
    } else if (rolesWanted.length > 0 && !rolesWanted.some((x) => x === "mentee" || x === "mentor")) {
      variants.push(["role", { kind: "project", mentoring: true, requires: null }]);
    }
    const learning = mine.filter((id) => skills.get(id) === "learning");
    if (learning.length > 0) {
      const asCall =
        kind === "transfer"
          ? { kind: "call" as const, callKind: g.pick(callKinds.length ? callKinds : ["co-maintainer" as const]) }
          : {};
      const hard = g.pick(learning);
      const skills = [...base.skills.filter((s) => s.skillId !== hard), { skillId: hard, level: "expert" as const }];
      variants.push(["level", { ...asCall, requires: null, mentoring: false, skills }]);
    }
    if (!v.isRoadie) variants.push(["trust", { kind: "transfer", requires: "roadie", mentoring: false }]);
    else if (!v.isAlumnus && rolesWanted.some((x) => x === "mentee" || x === "mentor")) {
      variants.push(["trust", { kind: "project", requires: "alumni", mentoring: true }]);
    }
    if (skilled && kind !== "transfer") {
      const others = g.shuffle(LISTABLE.filter((id) => !skills.has(id))).slice(0, 2);
      variants.push(["no-fit", { skills: others.map((skillId) => ({ skillId, level: "comfortable" as const })) }]);
    }
    const built: Built[] = [intended];
    const distractors: Label["distractors"] = [];
    for (const [rule, change] of variants) {
      const d = build(
        g,
        { ...base, ...change },
        intended.maintainers.map((m) => (m.zone ? ZONES.find(([z]) => z === m.zone)! : null)),
      );
      const breaks = ruleBreaks(v, d.item);
      if (breaks.length !== 1 || breaks[0] !== rule) continue;
      built.push(d);
      distractors.push({ item: itemKey(d.item), breaks: rule });
    }
    if (distractors.length < 3) return null;
    const label: Label = {
      volunteerId: v.id,
      archetype,
      zone: zone?.[0] ?? null,
      intended: itemKey(intended.item),
      distractors,
    };
    return { label, volunteer: v, built, attempt, index };
  }

  const entries = new Map<number, Entry>();
  let regenerated = 0;
  let dropped = 0;
  const make = (index: number, from: number) => {
    for (let attempt = from; attempt < MAX_ATTEMPTS; attempt++) {
      const e = person(index, attempt);
      if (e) return e;
    }
    return null;
  };
  const allItems = () => [...pool, ...[...entries.values()].flatMap((e) => e.built)].map((b) => b.item);
  /** Whether some other allowed item fits the volunteer as well as the intended one. */
  const ambiguous = (e: Entry, items: Opportunity[]) => {
    const v = e.volunteer;
    const intended = items.find((o) => itemKey(o) === e.label.intended)!;
    const [fit] = fitRange(v, intended);
    const met = metSkills(v, intended);
    return items.some(
      (o) =>
        o !== intended &&
        ruleBreaks(v, o).length === 0 &&
        (metSkills(v, o) > met || fitRange(v, o)[1] + MAX_PRIOR + MARGIN > fit),
    );
  };
  /** Rebuilds ambiguous volunteers until none is left, dropping those out of tries. */
  const settle = () => {
    for (let round = 0; round < 20; round++) {
      const items = allItems();
      const bad = [...entries.values()].filter((e) => ambiguous(e, items));
      if (bad.length === 0) return;
      for (const e of bad) {
        regenerated += 1;
        const again = make(e.index, e.attempt + 1);
        if (again) entries.set(e.index, again);
        else {
          entries.delete(e.index);
          dropped += 1;
        }
      }
    }
    // Anything still ambiguous after the last round is dropped (removing items only helps the others).
    for (const e of [...entries.values()]) {
      if (ambiguous(e, allItems())) {
        entries.delete(e.index);
        dropped += 1;
      }
    }
  };
  // Add volunteers until the set has its size after the drops.
  let nextIndex = 0;
  for (let pass = 0; pass < 10 && entries.size < profile.volunteers; pass++) {
    while (entries.size < profile.volunteers) {
      const e = make(nextIndex, 0);
      if (e) entries.set(nextIndex, e);
      nextIndex += 1;
    }
    settle();
  }

  // ---- Controls: people who must get nothing ----
  const volunteers = new Map<number, Volunteer>();
  for (const e of entries.values()) volunteers.set(e.volunteer.id, e.volunteer);
  const controls: Control[] = [];
  for (let i = 0; i < 8; i++) {
    const id = 50_000 + i;
    const zeroHours = i < 5;
    volunteers.set(id, {
      id,
      login: `control${i}`,
      offsetHours: r.pick(ZONES)[1],
      availabilityHours: zeroHours ? 0 : r.pick([null, 4]),
      skills: zeroHours ? new Map(POPULAR.map((s) => [s, "expert" as const])) : new Map(),
      rolesWanted: zeroHours ? ["co-maintainer", "triager-reviewer", "mentee"] : [],
      djangoVersions: ["5.2"],
      isRoadie: false,
      isAlumnus: false,
      discoverable: true,
    });
    controls.push({ volunteerId: id, why: zeroHours ? "offers 0 hours" : "lists neither skills nor roles" });
  }

  // ---- Maintainers: people too (matchesFor needs them), with no skills and hidden ----
  const built = [...pool, ...[...entries.values()].flatMap((e) => e.built)];
  const history: LabelledSet["data"]["history"] = new Map();
  const maintainerCalls: MaintainerCall[] = [];
  for (const { item, maintainers } of built) {
    for (const m of maintainers) {
      volunteers.set(m.id, {
        id: m.id,
        login: `maint${m.id}`,
        offsetHours: m.offset,
        availabilityHours: null,
        skills: new Map(),
        rolesWanted: [],
        djangoVersions: [],
        isRoadie: false,
        isAlumnus: false,
        discoverable: false,
      });
      history.set(m.id, { ownPackageIds: new Set([item.packageId]), excluded: new Set(), recentlyShown: new Map() });
    }
    if (item.kind === "call") maintainerCalls.push({ ...item, maintainerIds: maintainers.map((m) => m.id) });
  }
  const labels = [...entries.values()].sort((a, b) => a.index - b.index).map((e) => e.label);
  return {
    name,
    profile: profileName,
    seed,
    regenerated,
    dropped,
    labels,
    controls,
    data: {
      now: NOW,
      skillNames: new Map(SKILLS),
      volunteers,
      opportunities: built.map((b) => b.item).sort((a, b) => Number(a.id) - Number(b.id)),
      maintainerCalls,
      interests: [],
      history,
      lastDigestAt: new Map(),
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      profile: { type: "string", default: "standard" },
      seed: { type: "string", default: "1" },
      name: { type: "string" },
      out: { type: "string" },
    },
  });
  const set = generate(values.profile!, Number(values.seed), values.name ?? `${values.profile}-seed${values.seed}`);
  const out = values.out ?? `eval/matching/sets/${set.name}.json`;
  writeSet(out, set);
  console.log(
    `${out}: ${set.labels.length} labelled volunteers (${set.regenerated} rebuilt as ambiguous, ${set.dropped} dropped), ` +
      `${set.controls.length} controls, ${set.data.opportunities.length} items, ${set.data.volunteers.size} people`,
  );
}
