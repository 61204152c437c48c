// The matching engine's rules on hand-made data: each signal and its reason, each exclusion,
// the caps, and that the same data always gives the same result.
import { describe, expect, it } from "vitest";
import {
  availabilitySignal,
  djangoSignal,
  freshnessSignal,
  hoursApart,
  roleSignal,
  scoreOpportunity,
  skillSignal,
  timezoneSignal,
  trustSignal,
  urgencySignal,
  type History,
  type Match,
  type MatchingData,
  type Opportunity,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { applyCaps, isExcluded } from "#app/models/digest/matching-order.ts";
import { createMatcher } from "#app/models/digest/matcher.ts";
import { utcOffsetHours } from "#app/models/digest/matching.server.ts";
import { preferenceSkip, defaultPreferences } from "#app/models/digest/digest.server.ts";

const NOW = Date.parse("2026-11-24T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const names = new Map([
  ["orm-migrations", "ORM and migrations"],
  ["packaging", "Packaging"],
  ["testing", "Testing"],
]);

function volunteer(overrides: Partial<Volunteer> = {}): Volunteer {
  return {
    id: 1,
    login: "vee",
    offsetHours: 1,
    availabilityHours: 5,
    skills: new Map([["orm-migrations", "expert"]]),
    rolesWanted: ["co-maintainer"],
    djangoVersions: ["5.2"],
    isRoadie: false,
    isAlumnus: false,
    discoverable: true,
    ...overrides,
  };
}

let nextId = 1;
function call(overrides: Partial<Opportunity> = {}): Opportunity {
  const id = String(nextId++);
  return {
    kind: "call",
    id,
    section: "calls",
    packageId: Number(id),
    packageName: `django-${id}`,
    title: `Call ${id}`,
    path: `/calls/${id}`,
    callKind: "co-maintainer",
    skills: [{ skillId: "orm-migrations", level: "comfortable" }],
    hoursPerWeek: 3,
    djangoVersions: ["5.2"],
    urgency: "normal",
    createdAt: NOW - 2 * DAY,
    updatedAt: NOW - 2 * DAY,
    maintainerOffsets: [3],
    requires: null,
    ...overrides,
  };
}

const emptyHistory = (): History => ({ ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() });

describe("signals", () => {
  it("skills: weighs the volunteer's level against the level wanted, and says which skill", () => {
    const o = call({
      skills: [
        { skillId: "orm-migrations", level: "expert" },
        { skillId: "testing", level: "comfortable" },
      ],
    });
    expect(skillSignal(volunteer(), o, names)).toEqual({
      value: 0.5,
      reason: "expert in ORM and migrations, which this call needs",
    });
    const learner = volunteer({ skills: new Map([["orm-migrations", "learning"]]) });
    expect(skillSignal(learner, o, names).value).toBeCloseTo(1 / 6);
    expect(skillSignal(volunteer({ skills: new Map() }), o, names)).toEqual({ value: 0, reason: null });
  });

  it("roles: the role asked for fits the call's kind", () => {
    expect(roleSignal(volunteer(), call())).toEqual({
      value: 1,
      reason: "you said you would like to be a co-maintainer",
    });
    expect(roleSignal(volunteer({ rolesWanted: ["mentor"] }), call()).value).toBeLessThan(0.5);
    expect(roleSignal(volunteer({ rolesWanted: [] }), call()).value).toBe(0.5);
  });

  it("availability: hours asked against hours offered", () => {
    expect(availabilitySignal(volunteer(), call({ hoursPerWeek: 3 }))).toEqual({
      value: 1,
      reason: "asks 3 hours a week; you offered 5",
    });
    expect(availabilitySignal(volunteer({ availabilityHours: 2 }), call({ hoursPerWeek: 4 }))).toEqual({
      value: 0.5,
      reason: null,
    });
  });

  it("Django versions: shared versions count", () => {
    expect(djangoSignal(volunteer(), call({ djangoVersions: ["4.2", "5.2"] }))).toEqual({
      value: 1,
      reason: "targets Django 5.2, which you know",
    });
    expect(djangoSignal(volunteer(), call({ djangoVersions: ["4.2"] })).value).toBeLessThan(0.5);
  });

  it("time zones: hours from the nearest maintainer, the short way round the clock", () => {
    expect(hoursApart(11, -11)).toBe(2);
    expect(timezoneSignal(volunteer({ offsetHours: 1 }), call({ maintainerOffsets: [3, -5] }))).toEqual({
      value: 1 - 2 / 12,
      reason: "its maintainers are 2 hours from you",
    });
    expect(timezoneSignal(volunteer({ offsetHours: 1 }), call({ maintainerOffsets: [1] })).reason).toBe(
      "its maintainers are in your time zone",
    );
    expect(timezoneSignal(volunteer({ offsetHours: 1 }), call({ maintainerOffsets: [-8] })).reason).toBeNull();
    expect(utcOffsetHours("Asia/Kolkata", NOW)).toBe(5.5);
    expect(utcOffsetHours("Not/AZone", NOW)).toBeNull();
  });

  it("urgency and freshness", () => {
    expect(urgencySignal(call({ urgency: "critical" }))).toEqual({ value: 1, reason: "marked critical" });
    expect(urgencySignal(call({ urgency: "low" })).value).toBe(0.25);
    expect(freshnessSignal(call({ createdAt: NOW - 14 * DAY }), NOW).value).toBeCloseTo(0.5);
    expect(freshnessSignal(call({ createdAt: NOW - 3 * DAY }), NOW).reason).toBe("posted 3 days ago");
  });

  it("trust: items for roadies only reach roadies", () => {
    const transfer = call({ kind: "transfer", requires: "roadie", section: "transfers" });
    expect(trustSignal(volunteer(), transfer).allowed).toBe(false);
    expect(trustSignal(volunteer({ isRoadie: true }), transfer)).toMatchObject({
      allowed: true,
      reason: "it needs a roadie, and you are one",
    });
    expect(scoreOpportunity(volunteer(), transfer, NOW, names)).toBeNull();
    expect(scoreOpportunity(volunteer({ isRoadie: true, skills: new Map() }), transfer, NOW, names)).not.toBeNull();
  });

  it("a match has a score in 0..1 and at most four short reasons, strongest first", () => {
    const scored = scoreOpportunity(volunteer(), call(), NOW, names)!;
    expect(scored.score).toBeGreaterThan(0.7);
    expect(scored.score).toBeLessThanOrEqual(1);
    expect(scored.reasons).toEqual([
      "expert in ORM and migrations, which this call needs",
      "you said you would like to be a co-maintainer",
      "asks 3 hours a week; you offered 5",
      "targets Django 5.2, which you know",
    ]);
    expect(scoreOpportunity(volunteer({ skills: new Map(), rolesWanted: ["mentor"] }), call(), NOW, names)).toBeNull();
  });
});

describe("exclusions", () => {
  it("never the person's own packages, dismissed or answered calls", () => {
    const o = call();
    expect(isExcluded({ ...emptyHistory(), ownPackageIds: new Set([o.packageId]) }, o)).toBe(true);
    expect(isExcluded({ ...emptyHistory(), excluded: new Set([`call:${o.id}`]) }, o)).toBe(true);
    expect(isExcluded(emptyHistory(), o)).toBe(false);
  });

  it("not what a recent digest showed, unless it was updated since", () => {
    const o = call({ updatedAt: NOW - 5 * DAY });
    const shown = (at: number) => ({ ...emptyHistory(), recentlyShown: new Map([[`call:${o.id}`, at]]) });
    expect(isExcluded(shown(NOW - 3 * DAY), o)).toBe(true);
    expect(isExcluded(shown(NOW - 7 * DAY), o)).toBe(false);
  });
});

describe("caps and ranking", () => {
  const m = (packageId: number, score: number, id = `${packageId}-${score}`): Match => ({
    kind: "call",
    id,
    section: "calls",
    packageId,
    packageName: "p",
    title: id,
    path: "/",
    score,
    reasons: [],
    updatedAt: 0,
  });

  it("at most 2 per package and 10 in all, keeping the order", () => {
    const list = [m(1, 0.9), m(1, 0.8), m(1, 0.7), ...Array.from({ length: 12 }, (_, i) => m(10 + i, 0.5))];
    const capped = applyCaps(list);
    expect(capped).toHaveLength(10);
    expect(capped.filter((x) => x.packageId === 1)).toHaveLength(2);
    expect(capped[0]!.score).toBe(0.9);
  });

  function data(opportunities: Opportunity[], volunteers: Volunteer[]): MatchingData {
    return {
      now: NOW,
      skillNames: names,
      volunteers: new Map(volunteers.map((v) => [v.id, v])),
      opportunities,
      maintainerCalls: [],
      interests: [],
      history: new Map(),
      lastDigestAt: new Map(),
    };
  }

  it("ranks a person's matches the same way every time, with the caps applied", () => {
    const opportunities = Array.from({ length: 30 }, (_, i) =>
      call({ packageId: 100 + (i % 4), urgency: i % 3 ? "normal" : "high", hoursPerWeek: 1 + (i % 6) }),
    );
    const a = createMatcher(data(opportunities, [volunteer()])).matchesFor(1, ["calls"]);
    const b = createMatcher(data([...opportunities].reverse(), [volunteer()])).matchesFor(1, ["calls"]);
    expect(a).toEqual(b);
    expect(a.length).toBe(8); // 4 packages × 2
    for (let i = 1; i < a.length; i++) expect(a[i - 1]!.score).toBeGreaterThanOrEqual(a[i]!.score);
  });

  it("shows only the sections the person chose", () => {
    const project = call({ kind: "project", section: "programs", callKind: null });
    const matcher = createMatcher(data([call(), project], [volunteer({ rolesWanted: ["co-maintainer", "mentee"] })]));
    expect(matcher.matchesFor(1, ["programs"]).map((x) => x.section)).toEqual(["programs"]);
    expect(
      matcher
        .matchesFor(1, ["calls", "programs"])
        .map((x) => x.section)
        .sort(),
    ).toEqual(["calls", "programs"]);
  });

  it("tells maintainers who fits their open calls and who answered since the last digest", () => {
    const own = { ...call({ packageId: 500 }), maintainerIds: [9] };
    const maintainer = volunteer({ id: 9, login: "mae", skills: new Map() });
    const helper = volunteer({ id: 2, login: "hel" });
    const hidden = volunteer({ id: 3, login: "hid", discoverable: false });
    const d = data([own], [maintainer, helper, hidden]);
    d.maintainerCalls = [own];
    d.interests = [
      {
        id: 77,
        callId: Number(own.id),
        packageId: 500,
        packageName: "p",
        callTitle: own.title,
        volunteerLogin: "zed",
        volunteerId: 4,
        createdAt: NOW - DAY,
      },
    ];
    const matches = createMatcher(d).matchesFor(9, ["people"]);
    expect(matches.map((x) => x.kind)).toEqual(["interest", "volunteer"]);
    expect(matches[1]!.title).toBe(`@hel could help with “${own.title}”`);
    expect(matches[1]!.reasons).toContain("expert in ORM and migrations, which your call needs");
  });
});

describe("preferences", () => {
  const week = "2026-W48";
  it("skips people who unsubscribed, turned it off, paused, or are not due this week or day", () => {
    const p = (o: Partial<typeof defaultPreferences>) => ({ ...defaultPreferences, ...o });
    expect(preferenceSkip(p({}), week, null, NOW, true)).toBeNull();
    expect(preferenceSkip(p({ unsubscribedAt: 1 }), week, null, NOW, true)).toBe("unsubscribed");
    expect(preferenceSkip(p({ frequency: "off" }), week, null, NOW, true)).toBe("off");
    expect(preferenceSkip(p({ pausedUntil: "2026-11-24" }), week, null, NOW, true)).toBe("paused");
    expect(preferenceSkip(p({ pausedUntil: "2026-11-23" }), week, null, NOW, true)).toBeNull();
    expect(preferenceSkip(p({ dayOfWeek: 3 }), week, null, NOW, true)).toBe("not-their-day");
    expect(preferenceSkip(p({ frequency: "biweekly" }), week, "2026-W47", NOW, true)).toBe("not-this-week");
    expect(preferenceSkip(p({ frequency: "biweekly" }), week, "2026-W46", NOW, true)).toBeNull();
    expect(preferenceSkip(p({ frequency: "monthly" }), week, "2026-W46", NOW, true)).toBe("not-this-week");
    expect(preferenceSkip(p({ frequency: "monthly" }), week, "2026-W44", NOW, true)).toBeNull();
  });
});

describe("the fast score", () => {
  it("gives the same score as the explained one, so ranking and explaining agree", async () => {
    const { scoreValue, WEIGHTS } = await import("#app/models/digest/matching-rules.ts");
    const people = [
      volunteer(),
      volunteer({ rolesWanted: [], offsetHours: null, availabilityHours: 1 }),
      volunteer({ isRoadie: true, skills: new Map([["packaging", "learning"]]) }),
    ];
    const items = [
      call(),
      call({ urgency: "critical", djangoVersions: ["4.2"], hoursPerWeek: 8, maintainerOffsets: [-7, 9] }),
      call({
        kind: "transfer",
        requires: "roadie",
        section: "transfers",
        skills: [{ skillId: "packaging", level: "expert" }],
      }),
      call({ kind: "project", section: "programs", callKind: null, skills: [] }),
    ];
    for (const v of people) {
      for (const o of items) {
        const explained = scoreOpportunity(v, o, NOW, names);
        const prior = WEIGHTS.urgency * urgencySignal(o).value + WEIGHTS.freshness * freshnessSignal(o, NOW).value;
        const fast = scoreValue(v, o, prior);
        if (explained === null) expect(fast).toBe(-1);
        else expect(Math.round(Math.min(1, fast) * 100) / 100).toBe(explained.score);
      }
    }
  });
});

describe("the matcher's ranking", () => {
  it("is the ranking scoreValue gives when every item is a candidate (varied people and items)", async () => {
    const { scoreValue, WEIGHTS, MAX_PER_PACKAGE } = await import("#app/models/digest/matching-rules.ts");
    // A seeded mix small enough (fewer than 40 items per skill) that the matcher looks at every item.
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
    const skills = [...names.keys()];
    const levels = ["learning", "comfortable", "expert"] as const;
    const versions = ["4.2", "5.1", "5.2", "6.0"];
    const roles = ["co-maintainer", "new-owner", "triager-reviewer", "mentor", "mentee"];
    const items: Opportunity[] = Array.from({ length: 60 }, (_, i) => {
      const kind = pick(["call", "call", "call", "project", "transfer"] as const);
      return call({
        kind,
        section: kind === "project" ? "programs" : kind === "transfer" ? "transfers" : pick(["calls", "transfers"]),
        packageId: 1000 + (i % 13),
        callKind:
          kind === "project" ? null : pick(["co-maintainer", "triage-review", "documentation", "new-maintainer"]),
        skills: skills.filter(() => rand() < 0.4).map((skillId) => ({ skillId, level: pick(levels) })),
        hoursPerWeek: rand() < 0.2 ? null : 1 + Math.floor(rand() * 8),
        djangoVersions: versions.filter(() => rand() < 0.3),
        urgency: pick(["low", "normal", "high", "critical"] as const),
        createdAt: NOW - Math.floor(rand() * 40) * DAY,
        updatedAt: NOW - Math.floor(rand() * 10) * DAY,
        maintainerOffsets: rand() < 0.2 ? [] : [Math.floor(rand() * 24) - 11],
        requires: kind === "transfer" ? "roadie" : rand() < 0.1 ? "alumni" : null,
      });
    });
    const people: Volunteer[] = Array.from({ length: 40 }, (_, i) =>
      volunteer({
        id: 100 + i,
        login: `p${i}`,
        offsetHours: rand() < 0.2 ? null : Math.floor(rand() * 24) - 11,
        availabilityHours: rand() < 0.2 ? null : 1 + Math.floor(rand() * 10),
        skills: new Map(skills.filter(() => rand() < 0.5).map((s) => [s, pick(levels)])),
        rolesWanted: roles.filter(() => rand() < 0.3),
        djangoVersions: versions.filter(() => rand() < 0.4),
        isRoadie: rand() < 0.2,
        isAlumnus: rand() < 0.2,
      }),
    );
    const d: MatchingData = {
      now: NOW,
      skillNames: names,
      volunteers: new Map(people.map((v) => [v.id, v])),
      opportunities: items,
      maintainerCalls: [],
      interests: [],
      history: new Map(),
      lastDigestAt: new Map(),
    };
    const matcher = createMatcher(d);
    const prior = (o: Opportunity) =>
      WEIGHTS.urgency * urgencySignal(o).value + WEIGHTS.freshness * freshnessSignal(o, NOW).value;
    const order = [...items].sort(
      (a, b) =>
        prior(b) - prior(a) || b.createdAt - a.createdAt || `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`),
    );
    let compared = 0;
    for (const v of people) {
      // The matcher's candidates: a shared skill, no skills asked (for people who named roles), or trust-restricted.
      const candidate = (o: Opportunity) =>
        o.skills.some((s) => v.skills.has(s.skillId)) ||
        (o.skills.length === 0 && v.rolesWanted.length > 0) ||
        (o.requires !== null && (v.isRoadie || v.isAlumnus));
      const ranked = order
        .filter(candidate)
        .map((o) => ({ o, score: scoreValue(v, o, prior(o)) }))
        .filter((x) => x.score >= 0)
        .sort((a, b) => b.score - a.score);
      const perPackage = new Map<number, number>();
      const expected: Match[] = [];
      for (const { o } of ranked) {
        if (expected.length >= 10 || (perPackage.get(o.packageId) ?? 0) >= MAX_PER_PACKAGE) continue;
        const scored = scoreOpportunity(v, o, NOW, names)!;
        perPackage.set(o.packageId, (perPackage.get(o.packageId) ?? 0) + 1);
        expected.push({ ...o, score: scored.score, reasons: scored.reasons } as unknown as Match);
      }
      const got = matcher.matchesFor(v.id, ["calls", "programs", "transfers"]);
      expect(got.map((m) => [m.kind, m.id, m.score, m.reasons])).toEqual(
        applyCaps(
          [...expected].sort(
            (a, b) =>
              b.score - a.score || b.updatedAt - a.updatedAt || `${a.kind}:${a.id}`.localeCompare(`${b.kind}:${b.id}`),
          ),
        ).map((m) => [m.kind, m.id, m.score, m.reasons]),
      );
      compared += got.length;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
