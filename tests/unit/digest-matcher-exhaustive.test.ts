// The fast matcher against scoring every pair: on random data (fast-check), both find the same
// digest for every person, on the volunteer side and on the maintainers' side.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { digestSections, type DigestSection } from "#db/schema/digest.ts";
import { callKinds } from "#db/schema/calls.ts";
import { profileRoles } from "#db/schema/people.ts";
import {
  PEOPLE_PER_CALL,
  scoreOpportunity,
  type History,
  type Level,
  type MaintainerCall,
  type Match,
  type MatchingData,
  type Opportunity,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { applyCaps, compareMatches, isExcluded, itemKey } from "#app/models/digest/matching-order.ts";
import { createMatcher } from "#app/models/digest/matcher.ts";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const DAY = 86_400_000;
const SKILLS = ["orm", "async", "security", "packaging", "testing", "docs"];
const skillNames = new Map(SKILLS.map((s) => [s, s.toUpperCase()]));
const LEVELS: Level[] = ["learning", "comfortable", "expert"];
const VERSIONS = ["4.2", "5.2", "6.0"];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });
const skillsArb = (maxLength: number) =>
  fc.uniqueArray(fc.record({ skillId: fc.constantFrom(...SKILLS), level: fc.constantFrom(...LEVELS) }), {
    selector: (s) => s.skillId,
    maxLength,
  });

const personArb = fc.record({
  offsetHours: maybe(fc.integer({ min: -11, max: 14 })),
  availabilityHours: maybe(fc.integer({ min: 0, max: 12 })),
  skills: skillsArb(4),
  rolesWanted: fc.oneof(
    fc.subarray<string>([...profileRoles]),
    fc.constant<string[]>(["co-maintainer"]),
    fc.constant<string[]>([]),
  ),
  djangoVersions: fc.subarray(VERSIONS),
  isRoadie: fc.boolean(),
  isAlumnus: fc.boolean(),
  discoverable: fc.boolean(),
});

const itemArb = fc.record({
  kind: fc.constantFrom("call", "call", "call", "project", "transfer"),
  // Weighted towards kinds many people fit, so most people have more candidates than a digest holds.
  callKind: fc.oneof(
    fc.constantFrom(...callKinds),
    fc.constant("co-maintainer" as const),
    fc.constant("documentation" as const),
  ),
  // Wider than an index key (KEY_SIZE_MAX): such items sit in the list every search looks at.
  skills: skillsArb(6),
  hoursPerWeek: fc.integer({ min: 1, max: 10 }),
  djangoVersions: fc.subarray(VERSIONS),
  urgency: fc.constantFrom("low", "normal", "high", "critical"),
  ageDays: fc.integer({ min: 0, max: 60 }),
  packageNo: fc.integer({ min: 0, max: 40 }),
  // Up to four time zones: an item is filed in the segment of each of its maintainers' zones.
  maintainerOffsets: fc.array(fc.integer({ min: -11, max: 14 }), { maxLength: 4 }),
  mentoring: fc.boolean(),
  alumni: fc.boolean(),
});

type World = { data: MatchingData; sections: DigestSection[] };

const worldArb = fc
  .record({
    people: fc.array(personArb, { minLength: 1, maxLength: 40, size: "max" }),
    items: fc.array(itemArb, { minLength: 1, maxLength: 150, size: "max" }),
    // Which packages each of the first people maintains, and what they dismissed.
    maintains: fc.array(fc.subarray([0, 1, 2, 3, 4, 5, 6, 7, 8], { maxLength: 2 }), { maxLength: 6 }),
    dismissed: fc.array(fc.nat(), { maxLength: 6 }),
    sections: fc.subarray([...digestSections], { minLength: 1 }),
  })
  .map(({ people, items, maintains, dismissed, sections }): World => {
    const volunteers = new Map<number, Volunteer>();
    people.forEach((p, n) => {
      const id = n + 1;
      volunteers.set(id, {
        id,
        login: `p${id}`,
        ...p,
        skills: new Map(p.skills.map((s) => [s.skillId, s.level])),
      });
    });
    const opportunities: Opportunity[] = items.map((it, n) => {
      const id = String(n + 1);
      const kind = it.kind as Opportunity["kind"];
      return {
        kind,
        id,
        section:
          kind === "project"
            ? "programs"
            : kind === "transfer" || it.callKind === "new-maintainer"
              ? "transfers"
              : "calls",
        packageId: it.packageNo,
        packageName: `pkg-${it.packageNo}`,
        title: `Item ${id}`,
        path: `/calls/${id}`,
        callKind: kind === "project" ? null : kind === "transfer" ? "new-maintainer" : it.callKind,
        skills: it.skills,
        hoursPerWeek: kind === "call" ? it.hoursPerWeek : null,
        djangoVersions: kind === "call" ? it.djangoVersions : [],
        urgency: it.urgency as Opportunity["urgency"],
        createdAt: NOW - it.ageDays * DAY,
        updatedAt: NOW - it.ageDays * DAY,
        maintainerOffsets: it.maintainerOffsets,
        requires: kind === "transfer" ? "roadie" : it.alumni && kind === "call" ? "alumni" : null,
        mentoring: kind === "project" || it.mentoring,
      };
    });
    const history = new Map<number, History>();
    const byPackage = new Map<number, number[]>();
    maintains.forEach((pkgs, n) => {
      const id = n + 1;
      if (!volunteers.has(id)) return;
      const h: History = { ownPackageIds: new Set(pkgs), excluded: new Set(), recentlyShown: new Map() };
      history.set(id, h);
      for (const p of pkgs) byPackage.set(p, [...(byPackage.get(p) ?? []), id]);
    });
    dismissed.forEach((x, n) => {
      const userId = (n % volunteers.size) + 1;
      const h = history.get(userId) ?? { ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() };
      h.excluded.add(itemKey("call", String((x % opportunities.length) + 1)));
      history.set(userId, h);
    });
    const maintainerCalls: MaintainerCall[] = opportunities
      .filter((o) => o.kind === "call")
      .map((o) => ({ ...o, maintainerIds: byPackage.get(o.packageId) ?? [] }));
    return {
      data: {
        now: NOW,
        skillNames,
        volunteers,
        opportunities,
        maintainerCalls,
        interests: [],
        history,
        lastDigestAt: new Map(),
      },
      sections,
    };
  });

/** The digest by scoring every pair, written as plainly as possible. */
function exhaustive({ data, sections }: World, userId: number): Match[] {
  const v = data.volunteers.get(userId)!;
  const h = data.history.get(userId) ?? { ownPackageIds: new Set(), excluded: new Set(), recentlyShown: new Map() };
  const mine: Match[] = [];
  for (const o of data.opportunities) {
    if (!sections.includes(o.section) || isExcluded(h, o)) continue;
    const scored = scoreOpportunity(v, o, data.now, data.skillNames);
    if (!scored) continue;
    mine.push({ ...o, ...scored, order: Number(o.id) } as Match);
  }
  const people: Match[] = [];
  if (sections.includes("people")) {
    const suggested = new Set<number>();
    const calls = data.maintainerCalls
      .filter((c) => c.maintainerIds.includes(userId))
      .sort((a, b) => Number(a.id) - Number(b.id));
    for (const call of calls) {
      const ranked = [...data.volunteers.values()]
        .filter((p) => p.discoverable && p.id !== userId && !suggested.has(p.id) && !call.maintainerIds.includes(p.id))
        .map((p) => ({ p, scored: scoreOpportunity(p, call, data.now, data.skillNames, "maintainer") }))
        .filter((x) => x.scored !== null)
        .sort((a, b) => b.scored!.score - a.scored!.score || a.p.id - b.p.id)
        .slice(0, PEOPLE_PER_CALL);
      for (const { p, scored } of ranked) {
        suggested.add(p.id);
        people.push({
          kind: "volunteer",
          id: `${p.login}@${call.id}`,
          section: "people",
          packageId: call.packageId,
          packageName: call.packageName,
          title: "",
          path: "",
          score: scored!.score,
          reasons: scored!.reasons,
          updatedAt: call.updatedAt,
          order: p.id,
        });
      }
    }
  }
  return applyCaps([...mine, ...people].sort(compareMatches));
}

const summary = (ms: Match[]) => ms.map((m) => ({ key: itemKey(m.kind, m.id), score: m.score, reasons: m.reasons }));

describe("the fast matcher", () => {
  it("finds exactly the digest that scoring every pair finds (same items, order, scores and reasons)", () => {
    fc.assert(
      fc.property(worldArb, (world) => {
        // As built for a run, and with every list cut into segments (real lists are long enough to be).
        const matchers = [createMatcher(world.data), createMatcher(world.data, 0)];
        for (const userId of world.data.volunteers.keys()) {
          const expected = summary(exhaustive(world, userId));
          for (const matcher of matchers) expect(summary(matcher.matchesFor(userId, world.sections))).toEqual(expected);
        }
      }),
      { numRuns: 300, seed: 20261206 },
    );
  });
});
