// The fast matcher's index: members (items or people) filed under sets of skills; each list is cut
// into segments (the kind of role and the time zone) that a scan can skip at once, and sorted
// inside a segment so that a scan can stop at the first member the hours rule excludes. See docs/matching.md, "How it stays fast".

/** The most skills in one key: items and people with more go to a list that is always scanned. */
export const KEY_SIZE_MAX = 4;

/**
 * Skills `from`..`to` of `skills`, sorted into `into` (emptied first) and returned: callers keep one
 * array and use it before the next call, so a search makes no array per person or item.
 */
export function sortSkillsInto(into: number[], from: number, to: number, skills: ArrayLike<number>): number[] {
  into.length = 0;
  for (let k = from; k < to; k++) {
    let at = into.length;
    while (at > 0 && into[at - 1]! > skills[k]!) {
      into[at] = into[at - 1]!;
      at -= 1;
    }
    into[at] = skills[k]!;
  }
  return into;
}

/**
 * Calls `each` with every non-empty subset of `skills` (sorted) of at most `max` skills, as a key.
 * When `each` returns false, no larger subset starting with that one is tried: an index is closed
 * under subsets, so a key it lacks has no supersets in it either. `from`, `key` and `size` are
 * where the walk stands (callers leave them): it recurses into itself rather than through a
 * closure made per call, as it is called once for every person and every call ranked.
 */
export function forEachSubset(
  skills: readonly number[],
  max: number,
  base: number,
  each: (key: number, size: number) => boolean | void,
  from = 0,
  key = 0,
  size = 0,
) {
  for (let k = from; k < skills.length; k++) {
    const next = key * base + skills[k]! + 1;
    if (each(next, size + 1) !== false && size + 1 < max) forEachSubset(skills, max, base, each, k + 1, next, size + 1);
  }
}

/**
 * Members cut into segments: segment `s` is members[start[s]..start[s + 1]), and all its entries
 * share `minor[s]`; segments are grouped by major: group `g` is segments
 * groupStart[g]..groupStart[g + 1], all with `major[g]` (for items: the kind of role, then a
 * maintainer's time zone), so a scan skips a whole group at once. A short list is one segment
 * whose major and minor are -1 (mixed: its members are only sorted by `order`).
 */
export type Segmented = {
  members: readonly number[];
  start: readonly number[];
  minor: readonly number[];
  groupStart: readonly number[];
  major: readonly number[];
};

/** What a list of entries is segmented by, sorted by inside a segment, and which member an entry is. */
export type Segmenting = {
  major: (entry: number) => number;
  minor: (entry: number) => number;
  order: (a: number, b: number) => number;
  member: (entry: number) => number;
};

/** Shorter lists are one segment (major and minor -1): looking at their members costs less than skipping. */
export const SEGMENTED_FROM = 64;
const MIXED: readonly number[] = [-1];
const ONE_GROUP: readonly number[] = [0, 1];

/** Sorts entries (in place) by segment, then by `order` inside a segment, and records where each segment starts. */
export function segmented(entries: number[], by: Segmenting, from = SEGMENTED_FROM): Segmented {
  const n = entries.length;
  if (n < from) {
    // Plain arrays and shared descriptions: most keys hold a handful of members, and typed arrays
    // cost about a hundred bytes each whatever their length. A member filed under several entries
    // (an item, once per maintainer's time zone) is kept once: a mixed segment knows no zone.
    const members: number[] = [];
    for (const entry of entries.sort(by.order)) {
      const member = by.member(entry);
      if (member !== members[members.length - 1]) members.push(member);
    }
    return { members, start: [0, members.length], minor: MIXED, groupStart: ONE_GROUP, major: MIXED };
  }
  const compare = (a: number, b: number) => by.major(a) - by.major(b) || by.minor(a) - by.minor(b) || by.order(a, b);
  // A list filed in its order (the people index's: people are numbered so) is checked, not sorted again.
  let inOrder = true;
  for (let x = 1; inOrder && x < n; x++) inOrder = compare(entries[x - 1]!, entries[x]!) <= 0;
  if (!inOrder) entries.sort(compare);
  const start: number[] = [];
  const minor: number[] = [];
  const groupStart: number[] = [];
  const major: number[] = [];
  for (let x = 0; x < n; x++) {
    const M = by.major(entries[x]!);
    const m = by.minor(entries[x]!);
    const newGroup = x === 0 || M !== major[major.length - 1];
    if (newGroup) {
      groupStart.push(start.length);
      major.push(M);
    }
    if (newGroup || m !== minor[minor.length - 1]) {
      start.push(x);
      minor.push(m);
    }
  }
  start.push(n);
  groupStart.push(minor.length);
  return { members: entries.map((entry) => by.member(entry)), start, minor, groupStart, major };
}

/** Segmented lists under numeric keys, each key holding one list per slot (for items: their number of skills). */
export class KeyIndex {
  private building = new Map<number, number[][]>();
  private lists = new Map<number, (Segmented | undefined)[]>();
  add(key: number, member: number, slot = 0) {
    let slots = this.building.get(key);
    if (!slots) this.building.set(key, (slots = []));
    (slots[slot] ??= []).push(member);
  }
  /** Files a whole list under a key (its members in the order given). */
  addList(key: number, list: number[], slot = 0) {
    let slots = this.building.get(key);
    if (!slots) this.building.set(key, (slots = []));
    const filed = slots[slot];
    if (filed) for (const member of list) filed.push(member);
    else slots[slot] = list;
  }
  freeze(by: Segmenting, from = SEGMENTED_FROM) {
    for (const [key, slots] of this.building) {
      this.lists.set(
        key,
        Array.from(slots, (list) => (list ? segmented(list, by, from) : undefined)),
      );
    }
    this.building.clear();
  }
  /** The lists under a key by slot, or undefined when no member has it. */
  get(key: number): readonly (Segmented | undefined)[] | undefined {
    return this.lists.get(key);
  }
}
