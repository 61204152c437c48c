// The fast matcher: ranks every person's items from the loaded data, scoring a few hundred
// candidates per person with numbers prepared once per run (see docs/matching.md, "How it stays
// fast"). Gives exactly the scores of scoreValue/scoreOpportunity (matching-rules.ts).
import { DAY_MS } from "#app/utils/dates.ts";
import type { CallKind } from "#db/schema/calls.ts";
import { digestSections, type DigestSection } from "#db/schema/digest.ts";
import {
  CANDIDATES_PER_SKILL,
  emptyHistory,
  freshnessSignal,
  fitScore,
  LEVEL_VALUE,
  MAX_ITEMS,
  MAX_PER_PACKAGE,
  nearestMaintainer,
  PEOPLE_CANDIDATES_PER_SKILL,
  PEOPLE_PER_CALL,
  ROLES_FOR_KIND,
  roleValue,
  scoreOpportunity,
  TRUST_BONUS,
  urgencySignal,
  WEIGHTS,
  type History,
  type MaintainerCall,
  type Match,
  type MatchingData,
  type Opportunity,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { applyCaps, compareMatches, isExcluded, itemKey, theirReason } from "#app/models/digest/matching-order.ts";

export type Matcher = {
  /** Everything for one person, capped, in priority order. */
  matchesFor(userId: number, sections: readonly DigestSection[]): Match[];
};

/**
 * Builds the indexes once per run: opportunities by skill, each list sorted by a
 * volunteer-independent prior (urgency and freshness), so ranking one person scores a few
 * hundred candidates instead of every open call. Scoring those candidates is the hot loop of a
 * digest run (50,000 people × ~150 candidates), so each person and item is turned once into
 * numbers (skill levels in a byte table, a role value per kind of item, Django versions as bits)
 * and `fastScore` computes exactly what `scoreValue` does from them, in the same order of
 * operations, so the ranking is the same to the last bit (tested against scoreValue).
 */
export function createMatcher(data: MatchingData): Matcher {
  const { now, skillNames } = data;
  const prior = (o: Opportunity) =>
    WEIGHTS.urgency * urgencySignal(o).value + WEIGHTS.freshness * freshnessSignal(o, now).value;

  // ---- Items: the opportunities, then the maintainers' calls (scored for the people section). ----
  const opps = data.opportunities;
  const items: Opportunity[] = [...opps, ...data.maintainerCalls];
  const I = items.length;
  const itemPrior = new Float64Array(I);
  for (let j = 0; j < I; j++) itemPrior[j] = prior(items[j]!);
  const keys = items.map((o) => itemKey(o.kind, o.id));
  const byPrior = (a: number, b: number) =>
    itemPrior[b]! - itemPrior[a]! || items[b]!.createdAt - items[a]!.createdAt || keys[a]!.localeCompare(keys[b]!);
  const bySkill = new Map<string, number[]>();
  const withoutSkills: number[] = [];
  const restricted: number[] = [];
  for (let j = 0; j < opps.length; j++) {
    const o = opps[j]!;
    if (o.requires !== null) restricted.push(j);
    if (o.skills.length === 0) withoutSkills.push(j);
    for (const s of o.skills) {
      const list = bySkill.get(s.skillId) ?? [];
      list.push(j);
      bySkill.set(s.skillId, list);
    }
  }
  for (const [skillId, list] of bySkill) bySkill.set(skillId, list.sort(byPrior).slice(0, CANDIDATES_PER_SKILL));
  const firstWithoutSkills = withoutSkills.sort(byPrior).slice(0, CANDIDATES_PER_SKILL);
  // One global order by prior, so ranking breaks ties with a number instead of a comparison.
  const rank = new Int32Array(I);
  opps
    .map((_, j) => j)
    .sort(byPrior)
    .forEach((j, position) => (rank[j] = position));

  // ---- People ----
  const people = [...data.volunteers.values()];
  const V = people.length;
  const personIndex = new Map<number, number>();
  people.forEach((v, i) => personIndex.set(v.id, i));

  // Skills and Django versions as small numbers.
  const skillNo = new Map<string, number>();
  const noOf = (skillId: string) => {
    let n = skillNo.get(skillId);
    if (n === undefined) skillNo.set(skillId, (n = skillNo.size));
    return n;
  };
  for (const o of items) for (const s of o.skills) noOf(s.skillId);
  for (const v of people) for (const skillId of v.skills.keys()) noOf(skillId);
  const S = skillNo.size;
  const versionBit = new Map<string, number>();
  const maskOf = (versions: string[]) => {
    let mask = 0;
    for (const d of versions) {
      let bit = versionBit.get(d);
      if (bit === undefined) versionBit.set(d, (bit = versionBit.size));
      mask |= 2 ** Math.min(bit, 30);
    }
    return mask;
  };
  const itemVersions = items.map((o) => maskOf(o.djangoVersions));
  const personVersions = people.map((v) => maskOf(v.djangoVersions));
  // More than 30 versions would share a bit: then compare the lists themselves.
  const versionsAsBits = versionBit.size <= 30;

  // Kinds of item, for the role signal: each call kind, a call without kind, a project.
  const roleKinds: (CallKind | null | "project")[] = [...(Object.keys(ROLES_FOR_KIND) as CallKind[]), null, "project"];
  const K = roleKinds.length;
  const kindNo = (o: Opportunity) => roleKinds.indexOf(o.kind === "project" ? "project" : o.callKind);

  const levels = new Uint8Array(V * S);
  const roleOf = new Float64Array(V * K);
  const hoursOffered = new Float64Array(V);
  const offset = new Float64Array(V);
  const trust = new Uint8Array(V); // 1 roadie, 2 alumnus
  for (let i = 0; i < V; i++) {
    const v = people[i]!;
    for (const [skillId, level] of v.skills) levels[i * S + skillNo.get(skillId)!] = LEVEL_VALUE[level];
    for (let k = 0; k < K; k++) roleOf[i * K + k] = roleValue(v.rolesWanted, roleKinds[k]!);
    hoursOffered[i] = v.availabilityHours ?? NaN;
    offset[i] = v.offsetHours ?? NaN;
    trust[i] = (v.isRoadie ? 1 : 0) | (v.isAlumnus ? 2 : 0);
  }

  const skillStart = new Int32Array(I + 1);
  const wantedSkill: number[] = [];
  const wantedLevel: number[] = [];
  const itemKind = new Int32Array(I);
  const hoursAsked = new Float64Array(I);
  const requires = new Uint8Array(I); // 1 roadie, 2 alumni
  const sectionNo = new Int32Array(I);
  for (let j = 0; j < I; j++) {
    const o = items[j]!;
    skillStart[j] = wantedSkill.length;
    for (const s of o.skills) {
      wantedSkill.push(skillNo.get(s.skillId)!);
      wantedLevel.push(LEVEL_VALUE[s.level]);
    }
    itemKind[j] = kindNo(o);
    hoursAsked[j] = o.hoursPerWeek ?? NaN;
    requires[j] = o.requires === "roadie" ? 1 : o.requires === "alumni" ? 2 : 0;
    sectionNo[j] = digestSections.indexOf(o.section);
  }
  skillStart[I] = wantedSkill.length;
  const wantedSkills = Int32Array.from(wantedSkill);
  const wantedLevels = Int32Array.from(wantedLevel);

  /** scoreValue(people[i], items[j], itemPrior[j]), from the numbers above. */
  function fastScore(i: number, j: number): number {
    let bonus = 0;
    const req = requires[j]!;
    if (req === 1) {
      if (!(trust[i]! & 1)) return -1;
      bonus = TRUST_BONUS;
    } else if (req === 2) {
      if (!(trust[i]! & 2)) return -1;
      bonus = TRUST_BONUS;
    }
    let skill = 0.3;
    const from = skillStart[j]!;
    const to = skillStart[j + 1]!;
    if (to > from) {
      let total = 0;
      const row = i * S;
      for (let k = from; k < to; k++) {
        const have = levels[row + wantedSkills[k]!]!;
        if (have) total += Math.min(1, have / wantedLevels[k]!);
      }
      skill = total / (to - from);
    }
    const role = roleOf[i * K + itemKind[j]!]!;
    if (skill === 0 && role < 0.7 && req === 0) return -1;
    const asked = hoursAsked[j]!;
    const offered = hoursOffered[i]!;
    const availability = Number.isNaN(asked) || Number.isNaN(offered) ? 0.5 : offered >= asked ? 1 : offered / asked;
    let django = 0.5;
    const o = items[j]!;
    if (o.djangoVersions.length > 0 && people[i]!.djangoVersions.length > 0) {
      const shared = versionsAsBits
        ? (itemVersions[j]! & personVersions[i]!) !== 0
        : o.djangoVersions.some((d) => people[i]!.djangoVersions.includes(d));
      django = shared ? 1 : 0.1;
    }
    const mine = offset[i]!;
    const timezone =
      !Number.isNaN(mine) && o.maintainerOffsets.length > 0
        ? 1 - nearestMaintainer(mine, o.maintainerOffsets) / 12
        : 0.5;
    return fitScore(bonus, skill, role, availability, django, timezone, itemPrior[j]!);
  }

  // Volunteers by skill, for the maintainers' side: strongest first, so a maintainer's call looks
  // at the best-placed few hundred people only.
  const volunteersBySkill = new Map<string, number[]>();
  for (let i = 0; i < V; i++) {
    if (!people[i]!.discoverable) continue;
    for (const skillId of people[i]!.skills.keys()) {
      const list = volunteersBySkill.get(skillId) ?? [];
      list.push(i);
      volunteersBySkill.set(skillId, list);
    }
  }
  for (const [skillId, list] of volunteersBySkill) {
    const s = skillNo.get(skillId)!;
    list.sort(
      (a, b) =>
        levels[b * S + s]! - levels[a * S + s]! ||
        (people[b]!.availabilityHours ?? 0) - (people[a]!.availabilityHours ?? 0) ||
        people[a]!.id - people[b]!.id,
    );
    list.length = Math.min(list.length, PEOPLE_CANDIDATES_PER_SKILL);
  }
  const callsByMaintainer = new Map<number, number[]>();
  for (let c = 0; c < data.maintainerCalls.length; c++) {
    for (const id of data.maintainerCalls[c]!.maintainerIds) {
      const list = callsByMaintainer.get(id) ?? [];
      list.push(opps.length + c);
      callsByMaintainer.set(id, list);
    }
  }
  const interestsByCall = new Map<number, Set<number>>();
  for (const i of data.interests) {
    const set = interestsByCall.get(i.callId) ?? new Set();
    set.add(i.volunteerId);
    interestsByCall.set(i.callId, set);
  }

  function toMatch(v: Volunteer, o: Opportunity): Match | null {
    const scored = scoreOpportunity(v, o, now, skillNames);
    if (!scored) return null;
    return {
      kind: o.kind,
      id: o.id,
      section: o.section,
      packageId: o.packageId,
      packageName: o.packageName,
      title: o.title,
      path: o.path,
      score: scored.score,
      reasons: scored.reasons,
      updatedAt: o.updatedAt,
    };
  }

  // Reused between people: which items are already candidates (stamped with the person's turn).
  const seenAt = new Int32Array(Math.max(I, V));
  let turn = 0;
  const candidates = new Int32Array(I);
  const scores = new Float64Array(I);

  function forVolunteer(i: number, h: History, sections: readonly DigestSection[], room: number): Match[] {
    const v = people[i]!;
    turn += 1;
    let n = 0;
    const add = (list: number[]) => {
      for (const j of list) {
        if (seenAt[j] === turn) continue;
        seenAt[j] = turn;
        candidates[n++] = j;
      }
    };
    for (const skillId of v.skills.keys()) {
      const list = bySkill.get(skillId);
      if (list) add(list);
    }
    if (v.rolesWanted.length > 0) add(firstWithoutSkills);
    if (v.isRoadie || v.isAlumnus) add(restricted);
    const wanted = digestSections.map((s) => sections.includes(s));
    const ranked: number[] = [];
    for (let c = 0; c < n; c++) {
      const j = candidates[c]!;
      if (!wanted[sectionNo[j]!] || isExcluded(h, opps[j]!)) continue;
      const score = fastScore(i, j);
      if (score >= 0) {
        scores[j] = score;
        ranked.push(j);
      }
    }
    ranked.sort((a, b) => scores[b]! - scores[a]! || rank[a]! - rank[b]!);
    // Explain only what can still make the email (the caps, with `room` for the people section).
    const perPkg = new Map<number, number>();
    const out: Match[] = [];
    for (const j of ranked) {
      if (out.length >= room) break;
      const o = opps[j]!;
      const count = perPkg.get(o.packageId) ?? 0;
      if (count >= MAX_PER_PACKAGE) continue;
      const match = toMatch(v, o);
      if (!match) continue;
      perPkg.set(o.packageId, count + 1);
      out.push(match);
    }
    return out.sort(compareMatches);
  }

  function forMaintainer(userId: number, h: History): Match[] {
    const out: Match[] = [];
    const mineIdx = callsByMaintainer.get(userId);
    if (!mineIdx) return out;
    const since = data.lastDigestAt.get(userId) ?? now - 7 * DAY_MS;
    const mine = [...mineIdx].sort((a, b) => Number(items[a]!.id) - Number(items[b]!.id));
    const mineIds = new Set(mine.map((j) => Number(items[j]!.id)));
    // New interests since the last digest come first: they wait for an answer.
    for (const i of data.interests) {
      if (!mineIds.has(i.callId) || i.createdAt <= since) continue;
      out.push({
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
      });
    }
    const checkHistory = h.excluded.size > 0 || h.recentlyShown.size > 0;
    // Each volunteer once per digest: under the first of the maintainer's calls (by id) they fit.
    const suggested = new Set<number>();
    for (const j of mine) {
      const call = items[j] as MaintainerCall;
      turn += 1;
      const seen: number[] = [];
      for (const s of call.skills) {
        for (const i of volunteersBySkill.get(s.skillId) ?? []) {
          if (seenAt[i] === turn) continue;
          seenAt[i] = turn;
          seen.push(i);
        }
      }
      const answered = interestsByCall.get(Number(call.id));
      // The best PEOPLE_PER_CALL by score, then id: the first of a full sort, without sorting.
      const best: { i: number; score: number }[] = [];
      const before = (a: { i: number; score: number }, score: number, i: number) =>
        a.score > score || (a.score === score && people[a.i]!.id < people[i]!.id);
      for (const i of seen) {
        const v = people[i]!;
        if (v.id === userId || suggested.has(v.id) || answered?.has(v.id) || call.maintainerIds.includes(v.id))
          continue;
        if (
          checkHistory &&
          isExcluded(h, { kind: "volunteer", id: `${v.login}@${call.id}`, packageId: -1, updatedAt: 0 })
        ) {
          continue;
        }
        const score = fastScore(i, j);
        if (score < 0) continue;
        if (best.length === PEOPLE_PER_CALL && before(best[best.length - 1]!, score, i)) continue;
        let at = best.length;
        while (at > 0 && !before(best[at - 1]!, score, i)) at -= 1;
        best.splice(at, 0, { i, score });
        if (best.length > PEOPLE_PER_CALL) best.pop();
      }
      const explained: Match[] = [];
      for (const { i } of best) {
        const v = people[i]!;
        suggested.add(v.id);
        const scored = scoreOpportunity(v, call, now, skillNames);
        if (!scored) continue;
        explained.push({
          kind: "volunteer",
          id: `${v.login}@${call.id}`,
          section: "people",
          packageId: call.packageId,
          packageName: call.packageName,
          title: `@${v.login} could help with “${call.title}”`,
          path: `/people/${v.login}`,
          score: scored.score,
          reasons: scored.reasons.map(theirReason).filter((r): r is string => r !== null),
          updatedAt: call.updatedAt,
        });
      }
      out.push(...explained.sort(compareMatches));
    }
    return out;
  }

  return {
    matchesFor(userId, sections) {
      const i = personIndex.get(userId);
      if (i === undefined) return [];
      const h = data.history.get(userId) ?? emptyHistory();
      const forCalls = sections.includes("people") ? forMaintainer(userId, h) : [];
      // People items can push some of these out of the caps: explain a few more then.
      const mine = forVolunteer(i, h, sections, forCalls.length > 0 ? MAX_ITEMS * 2 : MAX_ITEMS);
      // Interests first, then people and opportunities by score.
      const interests = forCalls.filter((m) => m.kind === "interest").sort(compareMatches);
      const rest = [...forCalls.filter((m) => m.kind !== "interest"), ...mine].sort(compareMatches);
      return applyCaps([...interests, ...rest]);
    },
  };
}
