// The matching engine's rules on hand-made data: each hard rule, what ranks above what, the reasons
// for and against, each exclusion, the caps, and that the same data always gives the same result.
import { describe, expect, it } from "vitest";
import {
  assess,
  MAX_POSITIVE_REASONS,
  scoreOpportunity,
  type History,
  type Match,
  type MatchingData,
  type Opportunity,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { applyCaps, isExcluded } from "#app/models/digest/matching-order.ts";
import { createMatcher } from "#app/models/digest/matcher.ts";
import { utcOffsetHours } from "#app/models/digest/matching-people.server.ts";
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
    mentoring: false,
    ...overrides,
  };
}

const emptyHistory = (): History => ({ ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() });

const fits = (v: Volunteer, o: Opportunity) => scoreOpportunity(v, o, NOW, names);
const reasons = (v: Volunteer, o: Opportunity) => fits(v, o)?.reasons ?? null;
const rule = (v: Volunteer, o: Opportunity) => {
  const a = assess(v, o, NOW, names);
  return a.fits ? null : a.rule;
};

describe("hard rules", () => {
  it("never suggests more hours than offered beyond the 20% tolerance, and says so within it", () => {
    expect(rule(volunteer({ availabilityHours: 3 }), call({ hoursPerWeek: 8 }))).toBe("hours");
    expect(reasons(volunteer({ availabilityHours: 4 }), call({ hoursPerWeek: 5 }))).toContain(
      "asks 5 hours a week; you offered 4",
    );
  });

  it("offers nothing to a person who offers no hours", () => {
    expect(rule(volunteer({ availabilityHours: 0 }), call({ hoursPerWeek: 1 }))).toBe("hours");
    expect(
      rule(
        volunteer({ availabilityHours: 0 }),
        call({ kind: "project", section: "programs", callKind: null, hoursPerWeek: null }),
      ),
    ).toBe("hours");
  });

  it("never suggests a call for a role the person did not choose", () => {
    expect(rule(volunteer({ rolesWanted: ["triager-reviewer"] }), call({ callKind: "co-maintainer" }))).toBe("role");
    expect(rule(volunteer({ rolesWanted: ["co-maintainer"] }), call({ callKind: "new-maintainer" }))).toBe("role");
    expect(rule(volunteer({ rolesWanted: ["co-maintainer"] }), call({ callKind: "triage-review" }))).toBe("role");
    // Mentors are matched with mentoring projects only.
    for (const callKind of ["co-maintainer", "new-maintainer", "triage-review", "documentation"] as const) {
      expect(rule(volunteer({ rolesWanted: ["mentor"] }), call({ callKind }))).toBe("role");
    }
    expect(
      fits(
        volunteer({ rolesWanted: ["mentor"] }),
        call({ kind: "project", section: "programs", callKind: null, hoursPerWeek: null, mentoring: true }),
      ),
    ).not.toBeNull();
    // Taking a package over is never suggested to someone who did not choose "new owner".
    expect(rule(volunteer({ rolesWanted: [] }), call({ callKind: "new-maintainer" }))).toBe("role");
  });

  it("never asks expert level of someone learning the skill, unless the call offers mentoring", () => {
    const learner = volunteer({
      skills: new Map([["orm-migrations", "learning"]]),
      rolesWanted: ["co-maintainer", "mentee"],
    });
    const expertCall = call({ skills: [{ skillId: "orm-migrations", level: "expert" }] });
    expect(rule(learner, expertCall)).toBe("level");
    expect(reasons(learner, { ...expertCall, mentoring: true })).toContain(
      "needs ORM and migrations at expert; you are learning",
    );
  });

  it("needs a shared skill, or a chosen role for people and calls without skills", () => {
    expect(rule(volunteer(), call({ skills: [{ skillId: "testing", level: "comfortable" }] }))).toBe("no-fit");
    const roleOnly = volunteer({ skills: new Map() });
    expect(fits(roleOnly, call())).not.toBeNull();
    expect(rule(volunteer({ skills: new Map(), rolesWanted: [] }), call())).toBe("no-fit");
  });

  it("keeps transfers for roadies and alumni items for alumni", () => {
    const transfer = call({
      kind: "transfer",
      requires: "roadie",
      section: "transfers",
      callKind: "new-maintainer",
      hoursPerWeek: null,
    });
    expect(rule(volunteer(), transfer)).toBe("trust");
    expect(reasons(volunteer({ isRoadie: true }), transfer)).toContain("it needs a roadie, and you are one");
  });
});

describe("scoring", () => {
  it("ranks covering more of a call's skills above urgency", () => {
    const v = volunteer({
      skills: new Map([
        ["orm-migrations", "expert"],
        ["testing", "comfortable"],
      ]),
    });
    const both = call({
      skills: [
        { skillId: "orm-migrations", level: "comfortable" },
        { skillId: "testing", level: "comfortable" },
      ],
    });
    const oneCritical = call({ urgency: "critical", createdAt: NOW, updatedAt: NOW });
    expect(fits(v, both)!.score).toBeGreaterThan(fits(v, oneCritical)!.score);
  });

  it("never rewards missing data over honest data", () => {
    const v = volunteer({ offsetHours: 0 });
    expect(fits(v, call({ maintainerOffsets: [7] }))!.score).toBeGreaterThan(
      fits(v, call({ maintainerOffsets: [] }))!.score,
    );
    const asks5 = call({ hoursPerWeek: 5 });
    expect(fits(volunteer({ availabilityHours: 5 }), asks5)!.score).toBeGreaterThan(
      fits(volunteer({ availabilityHours: null }), asks5)!.score,
    );
    expect(fits(volunteer({ availabilityHours: 4 }), asks5)!.score).toBeGreaterThan(
      fits(volunteer({ availabilityHours: null }), asks5)!.score,
    );
    expect(fits(volunteer({ rolesWanted: ["co-maintainer"] }), call())!.score).toBeGreaterThan(
      fits(volunteer({ rolesWanted: [] }), call())!.score,
    );
  });

  it("breaks ties on the exact score by id as a number (call 9 before call 10)", () => {
    const nine = call({ id: "9", packageId: 9 });
    const ten = call({ id: "10", packageId: 10 });
    const d: MatchingData = {
      now: NOW,
      skillNames: names,
      volunteers: new Map([[1, volunteer()]]),
      opportunities: [ten, nine],
      maintainerCalls: [],
      interests: [],
      history: new Map(),
      lastDigestAt: new Map(),
    };
    expect(
      createMatcher(d)
        .matchesFor(1, ["calls"])
        .map((m) => m.id),
    ).toEqual(["9", "10"]);
  });
});

describe("reasons", () => {
  it("say what does not fit, after what does, strongest first", () => {
    const v = volunteer({
      offsetHours: -5,
      availabilityHours: 4,
      skills: new Map([
        ["orm-migrations", "comfortable"],
        ["packaging", "expert"],
      ]),
    });
    const o = call({
      hoursPerWeek: 5,
      maintainerOffsets: [4],
      skills: [
        { skillId: "orm-migrations", level: "expert" },
        { skillId: "packaging", level: "comfortable" },
        { skillId: "testing", level: "learning" },
      ],
    });
    expect(reasons(v, o)).toEqual([
      "expert in Packaging, which this call needs",
      "you said you would like to be a co-maintainer",
      "targets Django 5.2, which you know",
      "asks 5 hours a week; you offered 4",
      "needs ORM and migrations at expert; you are comfortable",
      "also needs Testing, which you did not list",
      "its maintainers are 9 hours from you",
    ]);
  });

  it("never show more than three reasons for, and every reason against", () => {
    const r = reasons(volunteer({ offsetHours: 3 }), call({ urgency: "critical", createdAt: NOW, updatedAt: NOW }))!;
    expect(r).toHaveLength(MAX_POSITIVE_REASONS);
  });

  it("describe the volunteer to a maintainer with the same facts", () => {
    const v = volunteer({ availabilityHours: 4 });
    const o = call({ hoursPerWeek: 5 });
    expect(scoreOpportunity(v, o, NOW, names, "maintainer")!.reasons).toEqual([
      "expert in ORM and migrations, which your call needs",
      "would like to be a co-maintainer",
      "knows Django 5.2",
      "asks 5 hours a week; they offered 4",
    ]);
  });

  it("read the same, for each side and numbers, however often they are written (shared texts)", () => {
    // Every fact the pair gives, in the order assess found them (the texts before any cut to three).
    const said = (side: "volunteer" | "maintainer", v: Partial<Volunteer>, o: Partial<Opportunity>) => {
      const a = assess(volunteer(v), call(o), NOW, names, side);
      return a.fits ? [...a.positives.map((p) => p.text), ...a.misfits] : [];
    };
    // Twice: the second time the texts come from what the first wrote.
    for (let round = 0; round < 2; round++) {
      expect(said("volunteer", { availabilityHours: 5 }, { hoursPerWeek: 4 })).toContain(
        "asks 4 hours a week; you offered 5",
      );
      expect(said("maintainer", { availabilityHours: 5 }, { hoursPerWeek: 4 })).toContain(
        "asks 4 hours a week; they offered 5",
      );
      expect(said("volunteer", { availabilityHours: 1 }, { hoursPerWeek: 1 })).toContain(
        "asks 1 hour a week; you offered 1",
      );
      expect(said("volunteer", { availabilityHours: 4.5 }, { hoursPerWeek: 5 })).toContain(
        "asks 5 hours a week; you offered 4.5",
      );
      expect(said("volunteer", { availabilityHours: null }, { hoursPerWeek: 5 })).toContain(
        "asks 5 hours a week; you have not said how many you can give",
      );
      expect(said("maintainer", { availabilityHours: null }, { hoursPerWeek: 5 })).toContain(
        "asks 5 hours a week; they have not said how many they can give",
      );
      expect(said("volunteer", { offsetHours: 3 }, {})).toContain("its maintainers are in your time zone");
      expect(said("maintainer", { offsetHours: 3 }, {})).toContain("in your time zone");
      expect(said("volunteer", { offsetHours: 2 }, {})).toContain("its maintainers are 1 hour from you");
      expect(said("maintainer", { offsetHours: -6 }, {})).toContain("9 hours from you");
      expect(said("volunteer", {}, { createdAt: NOW })).toContain("posted today");
      expect(said("volunteer", {}, { createdAt: NOW - DAY })).toContain("posted 1 day ago");
      expect(said("volunteer", {}, { createdAt: NOW - 6 * DAY })).toContain("posted 6 days ago");
      expect(said("volunteer", {}, {})).toContain("you said you would like to be a co-maintainer");
      expect(said("maintainer", { rolesWanted: ["triager-reviewer"] }, { callKind: "triage-review" })).toContain(
        "would like to be a triager or reviewer",
      );
      expect(said("volunteer", {}, {})).toContain("expert in ORM and migrations, which this call needs");
      expect(
        said("volunteer", { rolesWanted: ["mentee"] }, { kind: "project", callKind: null, hoursPerWeek: null }),
      ).toContain("expert in ORM and migrations, which this project needs");
      expect(said("maintainer", {}, {})).toContain("expert in ORM and migrations, which your call needs");
      expect(said("volunteer", { djangoVersions: ["4.2", "5.2"] }, { djangoVersions: ["4.2", "5.2"] })).toContain(
        "targets Django 4.2, 5.2, which you know",
      );
      expect(said("maintainer", {}, {})).toContain("knows Django 5.2");
      expect(said("volunteer", { djangoVersions: ["4.2"] }, { djangoVersions: ["5.2", "6.0"] })).toContain(
        "targets Django 5.2, 6.0, which you did not list",
      );
      expect(said("maintainer", { djangoVersions: ["4.2"] }, {})).toContain("did not list Django 5.2");
      const comfortable = { skills: new Map([["orm-migrations", "comfortable" as const]]) };
      const expert = { skills: [{ skillId: "orm-migrations", level: "expert" as const }] };
      expect(said("volunteer", comfortable, expert)).toContain(
        "needs ORM and migrations at expert; you are comfortable",
      );
      expect(said("maintainer", comfortable, expert)).toContain(
        "your call needs ORM and migrations at expert; they are comfortable",
      );
    }
  });

  it("belong to their own pair, whatever was weighed before or after, and follow the item and the time", () => {
    const v = volunteer({ availabilityHours: 4 });
    const o = call({ hoursPerWeek: 5, createdAt: NOW - DAY });
    const first = assess(v, o, NOW, names);
    const alone = reasons(v, o);
    // Other pairs in between: their reasons are gathered in the same record, their items' facts kept.
    expect(reasons(volunteer({ offsetHours: -6 }), call({ urgency: "critical" }))).toContain(
      "its maintainers are 9 hours from you",
    );
    expect(fits(volunteer({ availabilityHours: 1 }), call({ hoursPerWeek: 5 }))).toBeNull();
    expect(assess(v, o, NOW, names)).toEqual(first);
    expect(reasons(v, o)).toEqual(alone);
    // The item's facts are worked out again for another time and for other skills.
    expect(scoreOpportunity(v, o, NOW + 13 * DAY, names)!.reasons).not.toContain("posted 1 day ago");
    expect(scoreOpportunity(v, o, NOW + 13 * DAY, names)!.score).toBeLessThan(fits(v, o)!.score);
    o.skills = [{ skillId: "packaging", level: "comfortable" }];
    expect(rule(v, o)).toBe("no-fit");
  });
});

describe("time zones", () => {
  it("reads an unknown zone as no time zone", () => {
    expect(utcOffsetHours("Mars/Olympus", NOW)).toBeNull();
    expect(utcOffsetHours("Asia/Kolkata", NOW)).toBe(5.5);
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
    order: packageId,
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

  it("suggests, of people with the same score, those who joined first (lower id)", () => {
    const own = { ...call({ packageId: 501 }), maintainerIds: [9] };
    const maintainer = volunteer({ id: 9, login: "mae", skills: new Map() });
    // Eight people alike but for their id, listed out of order: more than a call's cached best.
    const alike = [14, 3, 11, 7, 20, 5, 16, 12].map((id) => volunteer({ id, login: `p${id}` }));
    const better = volunteer({
      id: 30,
      login: "p30",
      skills: new Map([
        ["orm-migrations", "expert"],
        ["testing", "expert"],
      ]),
    });
    own.skills = [...own.skills, { skillId: "testing", level: "comfortable" }];
    const d = data([own], [maintainer, ...alike, better]);
    d.maintainerCalls = [own];
    const matches = createMatcher(d).matchesFor(9, ["people"]);
    expect(matches.map((x) => x.order)).toEqual([30, 3]);
  });

  it("suggests, of people with the same score whatever roles they chose, those who joined first", () => {
    const own = { ...call({ packageId: 502, maintainerOffsets: [1] }), maintainerIds: [9] };
    const maintainer = volunteer({ id: 9, login: "mae", skills: new Map() });
    // All score the most the call allows (both sets of roles fit it fully), and the later ids chose the set seen first.
    const early = [5, 6, 7, 8, 10, 11, 40].map((id) => volunteer({ id, login: `p${id}` }));
    const both = ["co-maintainer", "triager-reviewer"];
    const late = [1, 2].map((id) => volunteer({ id, login: `p${id}`, rolesWanted: both }));
    const d = data([own], [maintainer, ...early, ...late]);
    d.maintainerCalls = [own];
    for (const matcher of [createMatcher(d), createMatcher(d, 0)]) {
      expect(matcher.matchesFor(9, ["people"]).map((x) => x.order)).toEqual([1, 2]);
    }
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
