// The fast matcher: ranks every person's items from the loaded data with the rules and score of
// matching-rules.ts (`assess`), computed from numbers prepared once per run. It finds exactly what
// scoring every pair would find (a property test compares them), without scoring every pair: see
// docs/matching.md, "How it stays fast".
import { DAY_MS } from "#app/utils/dates.ts";
import { digestSections, type DigestSection } from "#db/schema/digest.ts";
import {
  combine,
  emptyHistory,
  HOURS_TOLERANCE,
  interestLine,
  MAX_ITEMS,
  MAX_PER_PACKAGE,
  hoursApart,
  opportunityLine,
  PEOPLE_PER_CALL,
  scoreOpportunity,
  skillValue,
  UNKNOWN,
  WEIGHTS,
  type History,
  type MaintainerCall,
  type Match,
  type MatchingData,
  type Volunteer,
} from "#app/models/digest/matching-rules.ts";
import { applyCaps, compareMatches, isExcluded, itemKey } from "#app/models/digest/matching-order.ts";
import {
  forEachSubset,
  KEY_SIZE_MAX,
  SEGMENTED_FROM,
  sortSkillsInto,
  type Segmented,
} from "#app/models/digest/matcher-index.ts";
import { prepare } from "#app/models/digest/matcher-prepare.ts";

export type Matcher = {
  /** Everything for one person, capped, in priority order. */
  matchesFor(userId: number, sections: readonly DigestSection[]): Match[];
  /** How many searches the index answered, and how many had to look at everything (see docs/matching.md). */
  readonly stats: { indexed: number; exhaustive: number };
};

/** People kept per call for all of its maintainers' digests (each takes PEOPLE_PER_CALL after its own skips). */
const CACHED_PER_CALL = 6;

/** The first pass of a search looks only at segments within this of the best possible score. */
const NEAR_BEST = 0.08;

/** A people search scans windows this wide below the best score a call allows, best first, PEOPLE_PASSES of them. */
const PEOPLE_PASS = 0.04;
const PEOPLE_PASSES = 10;

/**
 * Prepares the numbers and indexes once per run (matcher-prepare.ts), then ranks one person at a
 * time: the best lists first, stopping when nothing left can beat the last place.
 */
/**
 * `hoursValue` (matching-rules.ts) for the scan's numbers, NaN where unknown, once the scan has
 * checked the tolerance.
 */
function hoursCredit(offered: number, asked: number): number {
  if (Number.isNaN(asked)) return UNKNOWN.hoursAsked;
  if (Number.isNaN(offered)) return UNKNOWN.hoursOffered;
  return offered >= asked ? 1 : offered / asked;
}

export function createMatcher(
  data: MatchingData,
  /** Lists shorter than this are not cut into segments (a tuning knob; tests set 0 to cut every list). */
  segmentedFrom = SEGMENTED_FROM,
): Matcher {
  const { now, skillNames } = data;

  const {
    opps,
    items,
    I,
    prior,
    tie,
    people,
    V,
    personId,
    personIndex,
    itemVersions,
    personVersions,
    itemRoleKind,
    K,
    roleSetOf,
    zoneOf,
    hoursOffered,
    offset,
    trust,
    hasRoles,
    personSkillStart,
    personSkill,
    itemSkillStart,
    itemSkill,
    hoursAsked,
    requires,
    sectionNo,
    offsetStart,
    offsets,
    skillCount,
    base,
    restMax,
    itemStatic,
    maxItemStatic,
    skillsBound,
    itemZoneOffsets,
    IZ,
    itemZoneBound,
    itemIndex,
    restricted,
    wideItemList,
    withoutSkillsList,
    withSkillsList,
    roleSetFits,
    zoneOffsets,
    Z,
    zoneBound,
    peopleIndex,
    maxRest,
    widePeopleList,
    roleOnlyList,
    callsByMaintainer,
    interestsByCall,
    creditOf,
    fastScore,
  } = prepare(data, segmentedFrom);

  /** A list of people to scan, their skills signal at most, and the most it can add. */
  type Source = { list: Segmented; skill: number; bound: number };
  const byBound = (a: Source, b: Source) => b.bound - a.bound;
  const visitedAt = new Int32Array(Math.max(I, V));
  let turn = 0;
  const scores = new Float64Array(I);
  const packageOf = Int32Array.from(items, (o) => o.packageId);
  /** Each item's id as a number: what orders equal scores in a Match (parsed once, not per line). */
  const orderOf = Float64Array.from(items, (o) => Number(o.id));
  const stats = { indexed: 0, exhaustive: 0 };

  // A volunteer's lists are put in order by bucket, not sorted: every list's bound is one of a few
  // values (the skills of `size` of an item's `k`, the wide list's, none), ranked once here. The
  // order of lists with equal bounds changes nothing: the capped selection is the same whatever
  // order its candidates come in.
  const WIDE = (KEY_SIZE_MAX + 1) * (KEY_SIZE_MAX + 1);
  const ROLE_ONLY = WIDE + 1;
  const boundOfSlot = new Float64Array(ROLE_ONLY + 1).fill(NaN);
  for (let size = 1; size <= KEY_SIZE_MAX; size++) {
    for (let k = size; k <= KEY_SIZE_MAX; k++) boundOfSlot[size * (KEY_SIZE_MAX + 1) + k] = skillsBound(size, k);
  }
  boundOfSlot[WIDE] = WEIGHTS.skills;
  boundOfSlot[ROLE_ONLY] = 0;
  const slots = [...boundOfSlot.keys()].filter((x) => !Number.isNaN(boundOfSlot[x]!));
  slots.sort((a, b) => boundOfSlot[b]! - boundOfSlot[a]!);
  /** Bucket b holds the lists of bound bucketBound[b], bound descending. */
  const bucketBound = slots.map((x) => boundOfSlot[x]!);
  const bucketOfSlot = new Int32Array(ROLE_ONLY + 1);
  slots.forEach((x, b) => (bucketOfSlot[x] = b));
  const buckets: Segmented[][] = slots.map(() => []);
  /** Files the item lists under one subset of the person's skills (`size` of them) in `buckets`. */
  const fileItemLists = (key: number, size: number) => {
    const lists = itemIndex.get(key);
    if (!lists) return false;
    for (let k = size; k < lists.length; k++) {
      const list = lists[k];
      if (list) buckets[bucketOfSlot[size * (KEY_SIZE_MAX + 1) + k]!]!.push(list);
    }
  };
  /** The skills of person i or item j, sorted, in one array reused (not an array per search). */
  const sorted: number[] = [];
  const sortInto = (from: number, to: number, skills: ArrayLike<number>) => sortSkillsInto(sorted, from, to, skills);
  // Which sections a digest asks for, by section number (the same array for every person asking the same).
  let wantedFor: readonly DigestSection[] | null = null;
  let wanted: boolean[] = [];
  let wantsItems = false;
  /** The segments a volunteer's first pass leaves for the second: the lists, and (segment, bound, base) triples. */
  const laterLists: Segmented[] = [];
  const later: number[] = [];

  /** The person's best `room` opportunities under the per-package cap, exactly as scoring all would find them. */
  function forVolunteer(i: number, h: History, sections: readonly DigestSection[], room: number): Match[] {
    const v = people[i]!;
    if (hoursOffered[i] === 0) return []; // They said they have no time: nothing is offered.
    if (sections !== wantedFor) {
      wantedFor = sections;
      wanted = digestSections.map((s) => sections.includes(s));
      wantsItems = wanted.some((w, n) => w && digestSections[n] !== "people");
    }
    if (!wantsItems) return [];
    turn += 1;
    const checkHistory = h.ownPackageIds.size > 0 || h.excluded.size > 0 || h.recentlyShown.size > 0;
    // The capped selection so far, best first: whatever falls out of it can never come back.
    const chosen: number[] = [];
    /** The score a newcomer must reach: the last place once the selection is full. */
    let last = -Infinity;
    const visit = (j: number) => {
      if (visitedAt[j] === turn) return;
      visitedAt[j] = turn;
      if (!wanted[sectionNo[j]!]) return;
      const credit = creditOf(i, j);
      if (credit < 0) return;
      const score = fastScore(i, j, credit);
      if (score < 0 || score < last || (checkHistory && isExcluded(h, opps[j]!))) return;
      scores[j] = score;
      insertCapped(chosen, j, room);
      if (chosen.length === room) last = scores[chosen[room - 1]!]!;
    };
    if (trust[i]) for (const j of restricted) visit(j);
    for (const bucket of buckets) bucket.length = 0;
    const n = personSkillStart[i + 1]! - personSkillStart[i]!;
    if (n > 0) {
      const skills = sortInto(personSkillStart[i]!, personSkillStart[i + 1]!, personSkill);
      forEachSubset(skills, KEY_SIZE_MAX, base, fileItemLists);
      buckets[bucketOfSlot[WIDE]!]!.push(wideItemList);
    }
    // Role-based suggestions: items without skills fit by role; a person without skills, by role alone.
    if (hasRoles[i]) {
      buckets[bucketOfSlot[ROLE_ONLY]!]!.push(withoutSkillsList);
      if (n === 0) buckets[bucketOfSlot[ROLE_ONLY]!]!.push(withSkillsList);
    }
    // Lists in order of what their skills can add; stop when even the best left cannot reach the last place.
    const limit = Number.isNaN(hoursOffered[i]!) ? Infinity : hoursOffered[i]! / HOURS_TOLERANCE + 1e-9;
    // What each maintainers' time zone can add for this person, and the most hours and Django versions can.
    const mine = offset[i]!;
    for (let z = 0; z < IZ; z++) {
      itemZoneBound[z] =
        z === 0 || Number.isNaN(mine) ? UNKNOWN.timezone : 1 - hoursApart(mine, itemZoneOffsets[z]!) / 12;
    }
    // A mixed segment's best zone: never more than the list's bound counts on (restMax).
    const anyZone = Number.isNaN(mine) ? UNKNOWN.timezone : 1;
    const others =
      WEIGHTS.availability * (Number.isNaN(hoursOffered[i]!) ? UNKNOWN.hoursAsked : 1) +
      WEIGHTS.django * (personVersions[i] ? 1 : UNKNOWN.django) +
      maxItemStatic;
    const rest = restMax[i]! + maxItemStatic;
    // What the bounds count on for urgency and freshness, hours and Django versions (see the scan).
    const offered = hoursOffered[i]!;
    const djangoMax = WEIGHTS.django * (personVersions[i] ? 1 : UNKNOWN.django);
    const djangoNone = WEIGHTS.django * UNKNOWN.django;
    const atMost =
      maxItemStatic +
      WEIGHTS.availability * (Number.isNaN(offered) ? Math.max(UNKNOWN.hoursOffered, UNKNOWN.hoursAsked) : 1) +
      djangoMax;
    // A mixed segment's members have kinds of role of their own: the segment counts on the best
    // role this person can have, each member on its own.
    const roleRow = roleSetOf[i]! * K;
    const roleMax = hasRoles[i] ? 1 : UNKNOWN.role;
    /** Visits the members of `list`'s segment g that can still reach the last place. */
    const scanSegment = (list: Segmented, g: number, base: number) => {
      for (let m = list.start[g]!; m < list.start[g + 1]!; m++) {
        const j = list.members[m]!;
        const asked = hoursAsked[j]!;
        if (asked > limit) break;
        if (visitedAt[j] === turn) continue;
        const fits = roleSetFits[roleRow + itemRoleKind[j]!]!;
        if (fits < 0) continue;
        const hours = hoursCredit(offered, asked);
        if (
          base +
            WEIGHTS.role * fits +
            prior[j]! +
            WEIGHTS.availability * hours +
            (itemVersions[j] ? djangoMax : djangoNone) <
          last
        )
          continue;
        visit(j);
      }
    };
    /**
     * Scans the lists from bucket `from` on, stopping at the first bucket below `floor` (returned);
     * segments below `floor` are kept in `later`, in order, for the second pass.
     */
    const scanBuckets = (from: number, floor: number) => {
      for (let b = from; b < buckets.length; b++) {
        const bucket = buckets[b]!;
        if (bucket.length === 0) continue;
        const bound = bucketBound[b]!;
        // A segment's bound never exceeds its list's, so the two passes split the segments cleanly.
        const listBound = bound + rest;
        if (listBound < floor || listBound < last) return b;
        for (let s = 0; s < bucket.length; s++) {
          const list = bucket[s]!;
          for (let group = 0; group < list.major.length; group++) {
            const major = list.major[group]!;
            const role = major < 0 ? roleMax : roleSetFits[roleRow + major]!;
            if (role < 0) continue;
            const best = bound + WEIGHTS.role * role + others;
            for (let g = list.groupStart[group]!; g < list.groupStart[group + 1]!; g++) {
              const zone = list.minor[g]! < 0 ? anyZone : itemZoneBound[list.minor[g]!]!;
              const segmentBound = Math.min(listBound, best + WEIGHTS.timezone * zone);
              if (segmentBound < last) continue;
              // Members differ by what the segment's bound took at its most: urgency and freshness,
              // hours, Django versions, and in a mixed segment the role. With each member's own,
              // most are passed without being scored.
              const base = segmentBound - atMost - WEIGHTS.role * role + 1e-9;
              if (segmentBound < floor) {
                laterLists.push(list);
                later.push(g, segmentBound, base);
              } else scanSegment(list, g, base);
            }
          }
        }
      }
      return buckets.length;
    };
    // The nearly perfect segments first, so the last place is high before the rest is looked at;
    // then the rest in the same order: the segments the first pass kept for later (one below the
    // last place by now stays below it), and the buckets it did not reach.
    const first = buckets.findIndex((bucket) => bucket.length > 0);
    if (first >= 0) {
      laterLists.length = 0;
      later.length = 0;
      const stop = scanBuckets(first, bucketBound[first]! + restMax[i]! + maxItemStatic - NEAR_BEST);
      for (let n = 0; n < laterLists.length; n++) {
        if (later[3 * n + 1]! >= last) scanSegment(laterLists[n]!, later[3 * n]!, later[3 * n + 2]!);
      }
      scanBuckets(stop, -Infinity);
    }
    stats.indexed += 1;

    return chosen.map((j) => {
      const o = opps[j]!;
      const scored = scoreOpportunity(v, o, now, skillNames);
      if (!scored) throw new Error(`The fast score and the rules disagree on ${itemKey(o.kind, o.id)}`);
      return opportunityLine(o, orderOf[j]!, scored.score, scored.reasons);
    });
  }

  /**
   * Inserts item j (scored) into `chosen`, a selection that already respects the caps: only j's
   * package can now be over its cap (its last item then leaves), and the list keeps `room` at most.
   */
  function insertCapped(chosen: number[], j: number, room: number) {
    // In place (splice costs more, for every candidate that enters).
    let at = chosen.length;
    chosen.push(j);
    while (
      at > 0 &&
      (scores[chosen[at - 1]!]! < scores[j]! ||
        (scores[chosen[at - 1]!]! === scores[j]! && tie[chosen[at - 1]!]! > tie[j]!))
    ) {
      chosen[at] = chosen[at - 1]!;
      at -= 1;
    }
    chosen[at] = j;
    const pkg = packageOf[j]!;
    let seen = 0;
    for (let n = 0; n < chosen.length; n++) {
      if (packageOf[chosen[n]!] === pkg && ++seen > MAX_PER_PACKAGE) {
        chosen.splice(n, 1);
        break;
      }
    }
    if (chosen.length > room) chosen.pop();
  }

  /** The best `count` people for call item `j`, skipping those `skip` rules out, exactly. */
  function bestPeopleFor(j: number, skip: (i: number) => boolean, count = PEOPLE_PER_CALL): number[] {
    turn += 1;
    // The best so far and their scores, best first (two arrays kept in place: no objects, no splice).
    const best: number[] = [];
    const bestScore: number[] = [];
    // Ties go to the person who joined first (lower id), as a full sort by (score, id) would.
    const before = (at: number, score: number, i: number) =>
      bestScore[at]! > score || (bestScore[at] === score && personId[best[at]!]! < personId[i]!);
    const threshold = () => (best.length < count ? -Infinity : bestScore[best.length - 1]!);
    const visit = (i: number) => {
      if (visitedAt[i] === turn) return;
      visitedAt[i] = turn;
      if (skip(i)) return;
      const credit = creditOf(i, j);
      if (credit < 0) return;
      const score = fastScore(i, j, credit);
      if (score < 0) return;
      const full = best.length === count;
      if (full && before(count - 1, score, i)) return;
      // Those after the newcomer move down one place; when full, the last leaves.
      let pos = full ? count - 1 : best.length;
      while (pos > 0 && !before(pos - 1, score, i)) {
        best[pos] = best[pos - 1]!;
        bestScore[pos] = bestScore[pos - 1]!;
        pos -= 1;
      }
      best[pos] = i;
      bestScore[pos] = score;
    };
    const k = skillCount(j);
    if (requires[j] !== 0 || k === 0 || k > KEY_SIZE_MAX) {
      // Trust-restricted calls, calls without skills and very wide ones: everyone is looked at.
      stats.exhaustive += 1;
      for (let i = 0; i < V; i++) if (people[i]!.discoverable) visit(i);
      return best;
    }
    const skills = sortInto(itemSkillStart[j]!, itemSkillStart[j + 1]!, itemSkill);
    const sources: Source[] = [];
    forEachSubset(skills, KEY_SIZE_MAX, base, (key, size) => {
      const list = peopleIndex.get(key)?.[0];
      if (!list) return false;
      sources.push({ list, skill: skillValue(size, k), bound: skillsBound(size, k) });
    });
    sources.push({ list: widePeopleList, skill: 1, bound: WEIGHTS.skills });
    sources.push({ list: roleOnlyList, skill: 0, bound: 0 });
    sources.sort(byBound);
    const asked = hoursAsked[j]!;
    const kind = itemRoleKind[j]!;
    // What each time zone can add for this call, and the most hours and Django versions can.
    for (let z = 0; z < Z; z++) {
      let nearest = 24;
      for (let m = offsetStart[j]!; m < offsetStart[j + 1]!; m++) {
        nearest = Math.min(nearest, hoursApart(zoneOffsets[z]!, offsets[m]!));
      }
      zoneBound[z] = z === 0 || nearest === 24 ? UNKNOWN.timezone : 1 - nearest / 12;
    }
    const anyZone = offsetStart[j + 1]! > offsetStart[j]! ? 1 : UNKNOWN.timezone;
    const hoursMost = Number.isNaN(asked) ? UNKNOWN.hoursAsked : 1;
    const djangoMost = itemVersions[j] ? 1 : UNKNOWN.django;
    const others = WEIGHTS.availability * hoursMost + WEIGHTS.django * djangoMost + itemStatic[j]!;
    /** Scans the segments whose bound is in [floor, ceiling) and can still reach the last place. */
    const scan = (floor: number, ceiling: number) => {
      for (const { list, skill, bound } of sources) {
        const listBound = bound + maxRest + itemStatic[j]!;
        if (listBound < Math.max(floor, threshold())) break;
        for (let group = 0; group < list.major.length; group++) {
          const major = list.major[group]!;
          const role = major < 0 ? 1 : roleSetFits[major * K + kind]!;
          if (role < 0) continue;
          const most = bound + WEIGHTS.role * role + others;
          // A set of roles that cannot reach the window even in the nearest time zone: all its segments.
          if (Math.min(listBound, most + WEIGHTS.timezone * anyZone) < Math.max(floor, threshold())) continue;
          for (let g = list.groupStart[group]!; g < list.groupStart[group + 1]!; g++) {
            const mixed = list.minor[g]! < 0;
            const zone = mixed ? anyZone : zoneBound[list.minor[g]!]!;
            const segmentBound = Math.min(listBound, most + WEIGHTS.timezone * zone);
            if (segmentBound < Math.max(floor, threshold()) || segmentBound >= ceiling) continue;
            // The most a member can score, as `combine` adds it: members come in order of id, so once
            // even that cannot beat the last place (a tie goes by id), no later member can.
            const segmentMost = combine(0, skill, role, hoursMost, zone, djangoMost, prior[j]!);
            for (let m = list.start[g]!; m < list.start[g + 1]!; m++) {
              const i = list.members[m]!;
              const full = best.length === count;
              if (full && before(count - 1, segmentMost, i)) break;
              const offered = hoursOffered[i]!;
              if (offered < HOURS_TOLERANCE * asked - 1e-9 || visitedAt[i] === turn) continue;
              // Then the most this member can score, from its own role, time zone, hours and Django
              // versions and the list's skills: its score when it holds them at the levels asked
              // (and no more of the call's: those were looked at first, under a larger set).
              if (full) {
                const most = combine(
                  0,
                  skill,
                  mixed ? Math.max(0, roleSetFits[roleSetOf[i]! * K + kind]!) : role,
                  hoursCredit(offered, asked),
                  mixed ? zoneBound[zoneOf[i]!]! : zone,
                  itemVersions[j]! & personVersions[i]! ? 1 : UNKNOWN.django,
                  prior[j]!,
                );
                if (before(count - 1, most, i)) continue;
              }
              visit(i);
            }
          }
        }
      }
    };
    // Windows of PEOPLE_PASS below the best the call allows, best first: the last place rises early,
    // and most of the lower windows are then skipped; after PEOPLE_PASSES of them, all that is left.
    const top = sources[0]!.bound + maxRest + itemStatic[j]!;
    let ceiling = Infinity;
    for (let n = 1; n <= PEOPLE_PASSES && ceiling > threshold(); n++) {
      scan(top - n * PEOPLE_PASS, ceiling);
      ceiling = top - n * PEOPLE_PASS;
    }
    if (ceiling > threshold()) scan(-Infinity, ceiling);
    stats.indexed += 1;
    return best;
  }

  const bestByCall = new Map<number, number[]>();
  /** The history of everyone who has none: one for the run (the searches only read it). */
  const noHistory = emptyHistory();
  /** Who the call being searched rules out (its maintainers, who already answered): skipAt[i] === its stamp. */
  const skipAt = new Int32Array(V + 1); // V: someone who is not among the people
  let callStamp = 0;

  function forMaintainer(userId: number, h: History): Match[] {
    const mine = callsByMaintainer.get(userId);
    if (!mine) return [];
    const since = data.lastDigestAt.get(userId) ?? now - 7 * DAY_MS;
    const interests: Match[] = [];
    // People lines, each with its call: explained once the caps have chosen among them.
    const lines = new Map<Match, MaintainerCall>();
    const checkHistory = h.excluded.size > 0 || h.recentlyShown.size > 0;
    // Each volunteer once per digest: under the first of the maintainer's calls (by id) they fit.
    const suggested = new Set<number>();
    for (const j of mine) {
      const call = data.maintainerCalls[j - opps.length]!;
      const pending = interestsByCall.get(Number(call.id));
      // Who the call itself rules out (its maintainers, who already answered), then who this maintainer's
      // digest does (themselves, people suggested under an earlier call, what they dismissed or saw).
      const stamp = ++callStamp;
      for (const id of call.maintainerIds) skipAt[personIndex.get(id) ?? V] = stamp;
      if (pending) {
        for (const interest of pending) {
          skipAt[personIndex.get(interest.volunteerId) ?? V] = stamp;
          // New interests since the last digest come first: they wait for an answer.
          if (interest.createdAt > since) interests.push(interestLine(interest));
        }
      }
      const callSkips = (i: number) => skipAt[i] === stamp;
      const digestSkips = (i: number) => {
        const id = personId[i]!;
        if (id === userId || suggested.has(id)) return true;
        if (!checkHistory) return false;
        return isExcluded(h, { kind: "volunteer", id: `${people[i]!.login}@${call.id}`, packageId: -1, updatedAt: 0 });
      };
      // A call's best few are shared by its maintainers: the first two this digest keeps are exact
      // when two remain (everyone else ranks below all of them), else the call is searched again.
      let ranked = bestByCall.get(j);
      if (!ranked) bestByCall.set(j, (ranked = bestPeopleFor(j, callSkips, CACHED_PER_CALL)));
      let chosen = ranked.filter((i) => !digestSkips(i)).slice(0, PEOPLE_PER_CALL);
      if (chosen.length < PEOPLE_PER_CALL && ranked.length === CACHED_PER_CALL) {
        chosen = bestPeopleFor(j, (i) => callSkips(i) || digestSkips(i));
      }
      for (const i of chosen) {
        const v = people[i]!;
        suggested.add(v.id);
        lines.set(
          {
            kind: "volunteer",
            id: `${v.login}@${call.id}`,
            section: "people",
            packageId: call.packageId,
            packageName: call.packageName,
            title: `@${v.login} could help with “${call.title}”`,
            path: `/people/${v.login}`,
            score: fastScore(i, j, creditOf(i, j)), // as `assess` scores it, to the last bit
            reasons: [],
            updatedAt: call.updatedAt,
            order: v.id,
          },
          call,
        );
      }
    }
    // The caps, as the whole digest applies them: the volunteer side never has the maintainer's own
    // packages, so a line they drop here is dropped there too, and only the lines kept are explained.
    const kept = applyCaps([...interests.sort(compareMatches), ...[...lines.keys()].sort(compareMatches)]);
    for (const line of kept) {
      const call = lines.get(line);
      if (!call) continue; // an interest
      const v: Volunteer = data.volunteers.get(line.order)!;
      const scored = scoreOpportunity(v, call, now, skillNames, "maintainer");
      if (!scored) throw new Error(`The fast score and the rules disagree on @${v.login} for call ${call.id}`);
      line.score = scored.score;
      line.reasons = scored.reasons;
    }
    return kept;
  }

  return {
    stats,
    matchesFor(userId, sections) {
      const i = personIndex.get(userId);
      if (i === undefined) return [];
      const h = data.history.get(userId) ?? noHistory;
      const forCalls = sections.includes("people") ? forMaintainer(userId, h) : [];
      // A person's own packages never reach their volunteer side, so the two sides never share a
      // package and each side's capped best are all the merge needs.
      const mine = forVolunteer(i, h, sections, MAX_ITEMS);
      // Interests first, then people and opportunities by score. A volunteer's side alone is already
      // in that order and within the caps (insertCapped).
      if (forCalls.length === 0) return mine;
      const interests = forCalls.filter((m) => m.kind === "interest").sort(compareMatches);
      const rest = [...forCalls.filter((m) => m.kind !== "interest"), ...mine].sort(compareMatches);
      return applyCaps([...interests, ...rest]);
    },
  };
}
