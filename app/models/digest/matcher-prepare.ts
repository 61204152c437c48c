// The fast matcher's preparation, done once per run: every person and item turned into numbers
// (typed arrays), the two indexes (items and people by skill sets, in segments), and the score of
// one pair computed from those numbers exactly as `assess` computes it. matcher.ts searches them.
import { digestSections } from "#db/schema/digest.ts";
import {
  combine,
  hoursValue,
  LEVEL_VALUE,
  hoursApart,
  priorOf,
  roleValue,
  skillCredit,
  skillValue,
  TRUST_BONUS,
  UNKNOWN,
  WEIGHTS,
  type Level,
  type MatchingData,
  type NewInterest,
  type Opportunity,
} from "#app/models/digest/matching-rules.ts";
import { tieOrder } from "#app/models/digest/matching-order.ts";
import {
  forEachSubset,
  KEY_SIZE_MAX,
  KeyIndex,
  segmented,
  sortSkillsInto,
  type Segmenting,
} from "#app/models/digest/matcher-index.ts";

/**
 * Each id's position in `ids`. Account ids are SQLite row ids, dense from 1: a table by id costs 4
 * bytes an id where a `Map` cost about 40 a person (20 MB at 500,000). Sparse ids keep the `Map`.
 */
function indexById(ids: Int32Array): { get(id: number): number | undefined } {
  const max = ids.reduce((m, id) => Math.max(m, id), 0);
  if (max > 4 * ids.length + 1024) return new Map(Array.from(ids, (id, i) => [id, i]));
  const at = new Int32Array(max + 1).fill(-1);
  ids.forEach((id, i) => (at[id] = i));
  return { get: (id) => (Number.isInteger(id) && id >= 0 && id <= max && at[id]! >= 0 ? at[id] : undefined) };
}

/**
 * People numbered in the order the people index files them (the set of roles they chose, their
 * time zone, then id): a maintainers' scan then reads their numbers nearly in sequence (in loading
 * order it was a cache miss per step), and in the order ties go in. Sets of
 * roles and time zones are numbered in loading order. A function of its own, so that its
 * temporaries are not kept alive by the matcher's closures (by their sizes, 14 MB at 500,000 people).
 */
function numberPeople(volunteers: MatchingData["volunteers"]) {
  const loaded = [...volunteers.values()];

  // The sets of roles people chose (few distinct), and how each fits each kind of item (below): a
  // table per set, not per person (a row per person cost about 50 MB at 500,000 people).
  // Loading shares one array among people with the same list: look each array up once.
  const roleSetNo = new Map<string, number>();
  const roleSetOfList = new Map<readonly string[], number>();
  const roleSets: string[][] = [];
  const loadedRoleSet = Int32Array.from(loaded, (v) => {
    let n = roleSetOfList.get(v.rolesWanted);
    if (n !== undefined) return n;
    const key = [...v.rolesWanted].sort().join(" ");
    n = roleSetNo.get(key);
    if (n === undefined) {
      roleSetNo.set(key, (n = roleSets.length));
      roleSets.push(v.rolesWanted);
    }
    roleSetOfList.set(v.rolesWanted, n);
    return n;
  });
  // People's UTC offsets, numbered (0: no time zone), so a segment knows how near a call it can be.
  const zoneNo = new Map<number, number>();
  const zoneOffsets: number[] = [NaN];
  const loadedZone = Int32Array.from(loaded, (v) => {
    if (v.offsetHours === null) return 0;
    let z = zoneNo.get(v.offsetHours);
    if (z === undefined) {
      zoneNo.set(v.offsetHours, (z = zoneOffsets.length));
      zoneOffsets.push(v.offsetHours);
    }
    return z;
  });
  const numbering = Int32Array.from(loaded, (_, x) => x).sort(
    (a, b) => loadedRoleSet[a]! - loadedRoleSet[b]! || loadedZone[a]! - loadedZone[b]! || loaded[a]!.id - loaded[b]!.id,
  );
  const people = Array.from(numbering, (x) => loaded[x]!);
  const roleSetOf = numbering.map((x) => loadedRoleSet[x]!);
  const zoneOf = numbering.map((x) => loadedZone[x]!);
  return { people, roleSetOf, zoneOf, roleSets, zoneOffsets };
}

/** Everything the searches read, prepared once per run from the loaded data. */
export function prepare(data: MatchingData, segmentedFrom: number) {
  const { now } = data;
  // ---- Items: the opportunities, then the maintainers' calls (scored for the people section). ----
  const opps = data.opportunities;
  const items: Opportunity[] = [...opps, ...data.maintainerCalls];
  const I = items.length;
  const prior = Float64Array.from(items, (o) => priorOf(o, now));
  const tie = Float64Array.from(items, (o) => tieOrder(o.kind, Number(o.id)));

  // ---- People ----
  const { people, roleSetOf, zoneOf, roleSets, zoneOffsets } = numberPeople(data.volunteers);
  const V = people.length;
  const personId = Int32Array.from(people, (v) => v.id);
  const personIndex = indexById(personId);

  const skillNo = new Map<string, number>();
  const noOf = (skillId: string) => {
    let n = skillNo.get(skillId);
    if (n === undefined) skillNo.set(skillId, (n = skillNo.size));
    return n;
  };
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
  const itemVersions = Int32Array.from(items, (o) => maskOf(o.djangoVersions));
  const personVersions = Int32Array.from(people, (v) => maskOf(v.djangoVersions));
  // More than 30 versions would share a bit: then compare the lists themselves.
  const versionsAsBits = versionBit.size <= 30;

  // Kinds of item for the role signal: distinct (kind, call kind, mentoring) combinations.
  const roleKinds: Opportunity[] = [];
  const roleKindNo = new Map<string, number>();
  const itemRoleKind = Int32Array.from(items, (o) => {
    const key = `${o.kind}|${o.callKind}|${o.mentoring}`;
    let k = roleKindNo.get(key);
    if (k === undefined) {
      roleKindNo.set(key, (k = roleKinds.length));
      roleKinds.push(o);
    }
    return k;
  });
  const K = roleKinds.length;

  const roleSetFits = new Float64Array(roleSets.length * K);
  roleSets.forEach((roles, n) => roleKinds.forEach((o, k) => (roleSetFits[n * K + k] = roleValue(roles, o))));
  const hoursOffered = new Float64Array(V);
  const offset = new Float64Array(V);
  const trust = new Uint8Array(V); // 1 roadie, 2 alumnus
  const hasRoles = new Uint8Array(V);
  // Everyone's skills, flat: typed arrays, sized by a first pass (numbers arrays cost 8 bytes an
  // entry and grow by half again; 500,000 people hold 1.75 million skills).
  const personSkillStart = new Int32Array(V + 1);
  for (let i = 0; i < V; i++) personSkillStart[i + 1] = personSkillStart[i]! + people[i]!.skills.size;
  const personSkill = new Int32Array(personSkillStart[V]!);
  const personLevel = new Uint8Array(personSkillStart[V]!);
  // One callback for everyone's skills (forEach: no iterator or pair made per skill).
  let at = 0;
  const fileSkill = (level: Level, skillId: string) => {
    personSkill[at] = noOf(skillId);
    personLevel[at++] = LEVEL_VALUE[level];
  };
  for (let i = 0; i < V; i++) {
    const v = people[i]!;
    at = personSkillStart[i]!;
    v.skills.forEach(fileSkill);
    hoursOffered[i] = v.availabilityHours ?? NaN;
    offset[i] = v.offsetHours ?? NaN;
    trust[i] = (v.isRoadie ? 1 : 0) | (v.isAlumnus ? 2 : 0);
    hasRoles[i] = v.rolesWanted.length > 0 ? 1 : 0;
  }
  const itemSkillStart = new Int32Array(I + 1);
  const itemSkill: number[] = [];
  const itemLevel: number[] = [];
  const hoursAsked = new Float64Array(I);
  const requires = new Uint8Array(I); // 1 roadie, 2 alumni
  const mentoring = new Uint8Array(I);
  const sectionNo = new Int32Array(I);
  for (let j = 0; j < I; j++) {
    const o = items[j]!;
    itemSkillStart[j] = itemSkill.length;
    for (const s of o.skills) {
      itemSkill.push(noOf(s.skillId));
      itemLevel.push(LEVEL_VALUE[s.level]);
    }
    hoursAsked[j] = o.hoursPerWeek ?? NaN;
    requires[j] = o.requires === "roadie" ? 1 : o.requires === "alumni" ? 2 : 0;
    mentoring[j] = o.mentoring ? 1 : 0;
    sectionNo[j] = digestSections.indexOf(o.section);
  }
  itemSkillStart[I] = itemSkill.length;
  const isTransfer = Uint8Array.from(items, (o) => (o.kind === "transfer" ? 1 : 0));
  // The maintainers' UTC offsets of each item, flat.
  const offsetStart = new Int32Array(I + 1);
  for (let j = 0; j < I; j++) offsetStart[j + 1] = offsetStart[j]! + items[j]!.maintainerOffsets.length;
  const offsets = Float64Array.from(items.flatMap((o) => o.maintainerOffsets));
  const S = skillNo.size;
  const skillCount = (j: number) => itemSkillStart[j + 1]! - itemSkillStart[j]!;

  // Each person's skill levels by skill number, for exact credits of the pairs the scan visits.
  const levels = new Uint8Array(V * S);
  for (let i = 0; i < V; i++) {
    for (let k = personSkillStart[i]!; k < personSkillStart[i + 1]!; k++)
      levels[i * S + personSkill[k]!] = personLevel[k]!;
  }
  const base = S + 1;
  /** The skills from..to of `skills`, sorted, in one array reused (use it before the next call). */
  const sorted: number[] = [];
  const sortedSkills = (from: number, to: number, skills: ArrayLike<number>) =>
    sortSkillsInto(sorted, from, to, skills);

  /** The most the signals other than skills can add for person i, whatever the item. */
  const restMax = Float64Array.from(people, (v) => {
    const role = v.rolesWanted.length > 0 ? 1 : UNKNOWN.role;
    // Without their hours, an item asking none (UNKNOWN.hoursAsked) is the most they can get.
    const hoursMax = v.availabilityHours === null ? Math.max(UNKNOWN.hoursOffered, UNKNOWN.hoursAsked) : 1;
    const timezone = v.offsetHours === null ? UNKNOWN.timezone : 1;
    const django = v.djangoVersions.length > 0 ? 1 : UNKNOWN.django;
    return (
      WEIGHTS.role * role + WEIGHTS.availability * hoursMax + WEIGHTS.timezone * timezone + WEIGHTS.django * django
    );
  });
  /** What an item adds whoever asks: urgency, freshness and the trust bonus. */
  const itemStatic = Float64Array.from(items, (_, j) => prior[j]! + (requires[j] ? TRUST_BONUS : 0));
  // Restricted items are looked at directly, so the lists' items add at most this.
  let maxItemStatic = 0;
  for (let j = 0; j < opps.length; j++) if (!requires[j]) maxItemStatic = Math.max(maxItemStatic, itemStatic[j]!);
  const skillsBound = (credit: number, count: number) => WEIGHTS.skills * skillValue(credit, count) + 1e-9;

  // ---- The volunteer side's index: each opportunity under every subset of its skills (keyed
  // with its number of skills), so a person finds every item they hold any of the skills of by
  // the subsets of their own skills. Segments: the item's kind of role; inside, hours asked, fewest first.
  const hoursFirst = (a: number, b: number) => (hoursAsked[a]! || 0) - (hoursAsked[b]! || 0) || a - b;
  // An item is filed once per UTC offset of its maintainers (0: none), so a segment knows how near
  // a person it can be: entries are item * ITEM_ZONES + zone.
  const itemZoneNo = new Map<number, number>();
  const itemZoneOffsets: number[] = [NaN];
  for (const o of items) {
    for (const offset of o.maintainerOffsets) {
      if (!itemZoneNo.has(offset)) itemZoneNo.set(offset, itemZoneOffsets.push(offset) - 1);
    }
  }
  const IZ = itemZoneOffsets.length;
  const entriesOf = (j: number) =>
    items[j]!.maintainerOffsets.length === 0
      ? [j * IZ]
      : items[j]!.maintainerOffsets.map((o) => j * IZ + itemZoneNo.get(o)!);
  const itemOfEntry = (e: number) => Math.floor(e / IZ);
  const itemSegments: Segmenting = {
    major: (e) => itemRoleKind[itemOfEntry(e)]!,
    minor: (e) => e % IZ,
    order: (a, b) => hoursFirst(itemOfEntry(a), itemOfEntry(b)) || a - b,
    member: itemOfEntry,
  };
  const itemZoneBound = new Float64Array(IZ);
  const itemIndex = new KeyIndex();
  const wideItems: number[] = [];
  const restricted: number[] = [];
  const oppsWithoutSkills: number[] = [];
  const oppsWithSkills: number[] = [];
  for (let j = 0; j < opps.length; j++) {
    const k = skillCount(j);
    if (requires[j] !== 0) restricted.push(j);
    else if (k === 0) oppsWithoutSkills.push(j);
    else {
      oppsWithSkills.push(j);
      if (k > KEY_SIZE_MAX) wideItems.push(j);
      else {
        const skills = sortedSkills(itemSkillStart[j]!, itemSkillStart[j + 1]!, itemSkill);
        const entries = entriesOf(j);
        forEachSubset(skills, k, base, (key) => {
          for (const e of entries) itemIndex.add(key, e, k);
        });
      }
    }
  }
  itemIndex.freeze(itemSegments, segmentedFrom);
  const segmentedItems = (list: number[]) => segmented(list.flatMap(entriesOf), itemSegments, segmentedFrom);
  const wideItemList = segmentedItems(wideItems);
  const withoutSkillsList = segmentedItems(oppsWithoutSkills);
  const withSkillsList = segmentedItems(oppsWithSkills);

  // ---- The maintainers' side's index: each person who may be suggested under every subset of
  // their skills (up to KEY_SIZE_MAX). Segments: the set of roles they chose and their time zone;
  // inside, by id, the order equal scores go in (a short list, one segment, too), so a scan stops
  // at the first member whose segment's best cannot beat the last place.
  const Z = zoneOffsets.length;
  const zoneBound = new Float64Array(Z);
  const peopleSegments: Segmenting = {
    major: (i) => roleSetOf[i]!,
    minor: (i) => zoneOf[i]!,
    order: (a, b) => personId[a]! - personId[b]!,
    member: (i) => i,
  };
  // Only the keys some maintained call can ask for, the subsets of its skills: a list each, so
  // filing a person under a key is one lookup.
  const askedLists = new Map<number, number[]>();
  for (let c = 0; c < data.maintainerCalls.length; c++) {
    const j = opps.length + c;
    if (data.maintainerCalls[c]!.maintainerIds.length === 0) continue;
    const skills = sortedSkills(itemSkillStart[j]!, itemSkillStart[j + 1]!, itemSkill);
    forEachSubset(skills, KEY_SIZE_MAX, base, (key) => void (askedLists.has(key) || askedLists.set(key, [])));
  }
  const peopleIndex = new KeyIndex();
  const widePeople: number[] = [];
  const roleOnlyPeople: number[] = [];
  let maxRest = 0;
  // People are numbered in the order segments sort them, so filed in that order each key's list
  // arrives sorted (segmented() checks it; the lists' order is total: what they hold, not the order
  // they were filed in, decides it).
  for (let i = 0; i < V; i++) {
    if (!people[i]!.discoverable) continue;
    maxRest = Math.max(maxRest, restMax[i]!);
    const n = personSkillStart[i + 1]! - personSkillStart[i]!;
    if (n === 0) {
      if (hasRoles[i]) roleOnlyPeople.push(i);
    } else if (n > 2 * KEY_SIZE_MAX) widePeople.push(i);
    else {
      const skills = sortedSkills(personSkillStart[i]!, personSkillStart[i + 1]!, personSkill);
      forEachSubset(skills, KEY_SIZE_MAX, base, (key) => {
        const list = askedLists.get(key);
        if (!list) return false; // nor any larger set containing it
        list.push(i);
      });
    }
  }
  // Keys no one was filed under stay out: a search stops at a key the index lacks.
  for (const [key, list] of askedLists) if (list.length > 0) peopleIndex.addList(key, list);
  askedLists.clear();
  peopleIndex.freeze(peopleSegments, segmentedFrom);
  const widePeopleList = segmented(widePeople, peopleSegments, segmentedFrom);
  const roleOnlyList = segmented(roleOnlyPeople, peopleSegments, segmentedFrom);

  // Each maintainer's calls in order of id: a volunteer is suggested under the first they fit.
  const callsByMaintainer = new Map<number, number[]>();
  for (let c = 0; c < data.maintainerCalls.length; c++) {
    for (const id of data.maintainerCalls[c]!.maintainerIds) {
      const list = callsByMaintainer.get(id) ?? [];
      list.push(opps.length + c);
      callsByMaintainer.set(id, list);
    }
  }
  for (const list of callsByMaintainer.values()) list.sort((a, b) => Number(items[a]!.id) - Number(items[b]!.id));
  // Pending interests by call: the people who already answered it, and what is new for its maintainers.
  const interestsByCall = new Map<number, NewInterest[]>();
  for (const i of data.interests) {
    const list = interestsByCall.get(i.callId) ?? [];
    list.push(i);
    interestsByCall.set(i.callId, list);
  }

  /** The pair's summed skill credit, or -1 when the level rule excludes it (expert asked of a learner). */
  function creditOf(i: number, j: number): number {
    let credit = 0;
    const row = i * S;
    for (let k = itemSkillStart[j]!; k < itemSkillStart[j + 1]!; k++) {
      const c = skillCredit(levels[row + itemSkill[k]!]!, itemLevel[k]!);
      if (c === 0.25 && mentoring[j] === 0) return -1;
      credit += c;
    }
    return credit;
  }

  /**
   * assess(people[i], items[j]).score from the numbers above, given the pair's summed skill credit
   * (pairs the level rule excludes are dropped before); -1 when excluded.
   */
  function fastScore(i: number, j: number, credit: number): number {
    let bonus = 0;
    const req = requires[j]!;
    if (req !== 0) {
      if (!(trust[i]! & req)) return -1;
      bonus = TRUST_BONUS;
    }
    const offered = hoursOffered[i]!;
    const asked = hoursAsked[j]!;
    const availability = hoursValue(Number.isNaN(offered) ? null : offered, Number.isNaN(asked) ? null : asked);
    if (availability < 0) return -1;
    let role = roleSetFits[roleSetOf[i]! * K + itemRoleKind[j]!]!;
    if (isTransfer[j]) role = Math.max(0, role);
    if (role < 0) return -1;
    const count = skillCount(j);
    const skill = skillValue(credit, count);
    if (req === 0) {
      const bothListSkills = count > 0 && personSkillStart[i + 1]! > personSkillStart[i]!;
      if (bothListSkills ? credit === 0 : role !== 1) return -1;
    }
    let django: number = UNKNOWN.django;
    if (itemVersions[j] !== 0 && personVersions[i] !== 0) {
      const shared = versionsAsBits
        ? (itemVersions[j]! & personVersions[i]!) !== 0
        : items[j]!.djangoVersions.some((d) => people[i]!.djangoVersions.includes(d));
      if (shared) django = 1;
    }
    const mine = offset[i]!;
    let timezone: number = UNKNOWN.timezone;
    if (!Number.isNaN(mine) && offsetStart[j + 1]! > offsetStart[j]!) {
      let nearest = 24;
      for (let m = offsetStart[j]!; m < offsetStart[j + 1]!; m++)
        nearest = Math.min(nearest, hoursApart(mine, offsets[m]!));
      timezone = 1 - nearest / 12;
    }
    return combine(bonus, skill, role, availability, timezone, django, prior[j]!);
  }

  return {
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
  };
}
