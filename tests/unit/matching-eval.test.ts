// The matching evaluation (eval/matching/) checks the product with its own reading of the spec, so
// its checkers are tested here on hand-made lines: a line breaking a rule is caught, a false or
// misleading reason is caught, and a true, well-ordered line passes. The generator's labels are
// sound and the same seed gives the same set.
import { describe, expect, it } from "vitest";
import type { Match, MatchingData, Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";
import { checkMaintainerLine, checkVolunteerLine, evaluate } from "../../eval/matching/evaluate.ts";
import { generate } from "../../eval/matching/generate.ts";
import { checkReasons, splitNames } from "../../eval/matching/reasons.ts";
import { fromJson, toJson, type LabelledSet } from "../../eval/matching/set-file.ts";
import { ruleBreaks } from "../../eval/matching/spec.ts";

const NOW = Date.parse("2026-11-24T10:00:00Z");
const DAY = 24 * 60 * 60 * 1000;
const skillNames = new Map([
  ["orm", "Django ORM"],
  ["migrations", "ORM and migrations"],
  ["postgres", "PostgreSQL"],
  ["testing", "Testing"],
  ["gis", "GeoDjango"],
]);

const person = (o: Partial<Volunteer> = {}): Volunteer => ({
  id: 1,
  login: "vee",
  offsetHours: 1,
  availabilityHours: 5,
  skills: new Map([
    ["orm", "expert"],
    ["postgres", "comfortable"],
    ["testing", "learning"],
  ]),
  rolesWanted: ["co-maintainer"],
  djangoVersions: ["5.2"],
  isRoadie: false,
  isAlumnus: false,
  discoverable: true,
  ...o,
});

const call = (o: Partial<Opportunity> = {}): Opportunity => ({
  kind: "call",
  id: "1",
  section: "calls",
  packageId: 1,
  packageName: "django-one",
  title: "Call 1",
  path: "/calls/1",
  callKind: "co-maintainer",
  skills: [
    { skillId: "orm", level: "comfortable" },
    { skillId: "postgres", level: "expert" },
  ],
  hoursPerWeek: 3,
  djangoVersions: ["5.2", "6.0"],
  urgency: "normal",
  createdAt: NOW - 20 * DAY,
  updatedAt: NOW - 20 * DAY,
  maintainerOffsets: [3],
  requires: null,
  mentoring: false,
  ...o,
});

const line = (o: Opportunity, reasons: string[], kind: Match["kind"] = o.kind, id = o.id): Match => ({
  kind,
  id,
  section: o.section,
  packageId: o.packageId,
  packageName: o.packageName,
  title: o.title,
  path: o.path,
  score: 0.5,
  reasons,
  updatedAt: o.updatedAt,
  order: Number(o.id),
});

const data = (volunteers: Volunteer[], opportunities: Opportunity[]): MatchingData => ({
  now: NOW,
  skillNames,
  volunteers: new Map(volunteers.map((v) => [v.id, v])),
  opportunities,
  maintainerCalls: opportunities.map((o) => ({ ...o, maintainerIds: [900] })),
  interests: [],
  history: new Map(),
  lastDigestAt: new Map(),
});

// Strongest first by the documented contribution: skills 0.45 × 0.6875, then role and hours (0.15
// each, role first on the tie); Django (0.10) and the time zone (0.083) are weaker and left out.
const TRUE_REASONS = [
  "expert in Django ORM, which this call needs",
  "you said you would like to be a co-maintainer",
  "asks 3 hours a week; you offered 5",
  "needs PostgreSQL at expert; you are comfortable",
];
const kinds = (reasons: string[], v = person(), o = call()) =>
  checkReasons("volunteer", v, o, reasons, { now: NOW, skillNames }).map((p) => p.kind);

describe("rule checks", () => {
  it("a call within the rules breaks none", () => {
    expect(ruleBreaks(person(), call())).toEqual([]);
  });

  it("catches each hard rule on its own", () => {
    expect(ruleBreaks(person(), call({ hoursPerWeek: 10 }))).toEqual(["hours"]);
    expect(ruleBreaks(person({ availabilityHours: 0 }), call())).toEqual(["hours"]);
    expect(ruleBreaks(person(), call({ callKind: "triage-review" }))).toEqual(["role"]);
    expect(ruleBreaks(person(), call({ skills: [{ skillId: "testing", level: "expert" }] }))).toEqual(["level"]);
    expect(ruleBreaks(person(), call({ kind: "transfer", requires: "roadie" }))).toEqual(["trust"]);
    expect(ruleBreaks(person(), call({ skills: [{ skillId: "gis", level: "learning" }] }))).toEqual(["no-fit"]);
    expect(ruleBreaks(person({ skills: new Map(), rolesWanted: [] }), call())).toEqual(["no-fit"]);
  });

  it("allows what the spec allows: 4 hours of 5, a mentoring call for a learner, no roles on most kinds", () => {
    expect(ruleBreaks(person({ availabilityHours: 4 }), call({ hoursPerWeek: 5 }))).toEqual([]);
    const learning = call({ mentoring: true, skills: [{ skillId: "testing", level: "expert" }] });
    expect(ruleBreaks(person(), learning)).toEqual([]);
    expect(ruleBreaks(person({ rolesWanted: [] }), call({ callKind: "triage-review" }))).toEqual([]);
    expect(ruleBreaks(person({ rolesWanted: [] }), call({ callKind: "new-maintainer" }))).toEqual(["role"]);
  });

  it("flags a digest line that breaks a rule, on both sides", () => {
    const d = data([person()], [call({ hoursPerWeek: 10 })]);
    const o = d.opportunities[0]!;
    expect(checkVolunteerLine(d, person(), o, line(o, [])).breaks).toEqual(["hours"]);
    const hidden = person({ discoverable: false });
    const forMaintainer = checkMaintainerLine(d, person({ id: 900 }), hidden, d.maintainerCalls[0]!, line(o, []));
    expect(forMaintainer.breaks).toEqual(["hours", "hidden profile"]);
  });
});

describe("reason checks", () => {
  it("passes true reasons, strongest first, then every misfit", () => {
    expect(kinds(TRUE_REASONS)).toEqual([]);
  });

  it("catches a false fact", () => {
    expect(kinds(TRUE_REASONS.map((r) => r.replace("you offered 5", "you offered 6")))).toEqual(["false"]);
    expect(kinds(TRUE_REASONS.map((r) => r.replace("expert in Django ORM", "comfortable in Django ORM")))).toEqual([
      "false",
    ]);
  });

  it("catches a level below the asked one presented as a positive", () => {
    const below = [
      "expert in Django ORM and comfortable in PostgreSQL, which this call needs",
      ...TRUE_REASONS.slice(1),
    ];
    expect(kinds(below)).toEqual(["below-level"]);
  });

  it("catches a misfit that exists but is not stated", () => {
    expect(kinds(TRUE_REASONS.slice(0, 3))).toEqual(["unstated-misfit"]);
    const far = call({ maintainerOffsets: [10] });
    expect(kinds(TRUE_REASONS, person(), far)).toEqual(["unstated-misfit"]);
    expect(kinds([...TRUE_REASONS, "its maintainers are 9 hours from you"], person(), far)).toEqual([]);
  });

  it("catches positives out of order, after a misfit, and wordings the spec does not have", () => {
    expect(kinds([TRUE_REASONS[1]!, TRUE_REASONS[0]!, ...TRUE_REASONS.slice(2)])).toEqual(["order"]);
    expect(kinds([TRUE_REASONS[0]!, TRUE_REASONS[3]!, TRUE_REASONS[1]!, TRUE_REASONS[2]!])).toEqual([
      "misfit-first",
      "misfit-first",
    ]);
    expect(kinds([...TRUE_REASONS, "a great fit"])).toEqual(["wording"]);
  });

  it("checks the maintainer side's wordings against the same facts", () => {
    const reasons = [
      "expert in Django ORM, which your call needs",
      "would like to be a co-maintainer",
      "asks 3 hours a week; they offered 5",
      "your call needs PostgreSQL at expert; they are comfortable",
    ];
    const check = (rs: string[]) =>
      checkReasons("maintainer", person(), call(), rs, { now: NOW, skillNames, readerOffset: 3 }).map((p) => p.kind);
    expect(check(reasons)).toEqual([]);
    // Testing is neither asked by the call nor missing from the profile; the PostgreSQL misfit goes unsaid.
    expect(check([...reasons.slice(0, 3), "did not list Testing, which your call needs"])).toEqual([
      "false",
      "false",
      "unstated-misfit",
    ]);
  });

  it("reads lists of skill names that contain “and”", () => {
    expect(splitNames("expert in ORM and migrations and learning in Testing", [...skillNames.values()], true)).toEqual([
      { level: "expert", name: "ORM and migrations" },
      { level: "learning", name: "Testing" },
    ]);
  });
});

describe("evaluation", () => {
  it("counts where the intended call ranked and every line that breaks a rule", () => {
    const intended = call();
    const tooLong = call({ id: "2", packageId: 2, hoursPerWeek: 12 });
    const d = data([person()], [intended, tooLong]);
    const set: LabelledSet = {
      name: "tiny",
      profile: "hand-made",
      seed: 0,
      data: d,
      regenerated: 0,
      dropped: 0,
      controls: [],
      labels: [
        {
          volunteerId: 1,
          archetype: "skilled-roles",
          zone: null,
          intended: "call:1",
          distractors: [{ item: "call:2", breaks: "hours" }],
        },
      ],
    };
    // A stand-in with the matcher's public API that ranks the distractor first.
    const standIn = () => ({
      matchesFor: (id: number) =>
        id === 1 ? [line(tooLong, ["asks 12 hours a week; you offered 5"]), line(intended, TRUE_REASONS)] : [],
    });
    const r = evaluate(set, standIn);
    expect(r.top).toEqual({ 1: 0, 3: 1, 5: 1 });
    expect(r.breaking.map((f) => [f.line.id, f.breaks])).toEqual([["2", ["hours"]]]);
    expect(r.misleading.map((f) => f.line.id)).toEqual(["2"]); // "you offered 5" for 12 asked, stated as a positive
  });
});

describe("generated sets", () => {
  const set = generate("standard", 7);

  it("has at least 120 labelled volunteers, each with an allowed intended item and 3+ one-rule distractors", () => {
    expect(set.labels.length).toBeGreaterThanOrEqual(120);
    const items = new Map(set.data.opportunities.map((o) => [`${o.kind}:${o.id}`, o]));
    for (const label of set.labels) {
      const v = set.data.volunteers.get(label.volunteerId)!;
      expect(ruleBreaks(v, items.get(label.intended)!)).toEqual([]);
      expect(label.distractors.length).toBeGreaterThanOrEqual(3);
      for (const d of label.distractors) expect(ruleBreaks(v, items.get(d.item)!)).toEqual([d.breaks]);
    }
  });

  it("is the same for the same seed, and survives the JSON file", () => {
    const text = toJson(set);
    expect(toJson(generate("standard", 7))).toBe(text);
    expect(toJson(fromJson(text))).toBe(text);
  });
});
