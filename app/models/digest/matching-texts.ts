// The words of the digest's reasons: the texts many lines share (a run explains about 440,000
// lines) are written once and then shared, the same words without building and collecting them line
// after line. Pure: never stale. matching-rules.ts decides which of them a line says.
import type { Opportunity } from "#app/models/digest/matching-rules.ts";

const ROLE_LABEL: Record<string, string> = {
  "co-maintainer": "a co-maintainer",
  "new-owner": "a new owner of a package",
  "triager-reviewer": "a triager or reviewer",
  mentor: "a mentor",
  mentee: "a mentee",
};

/** "a", "a and b", "a, b and c", of the first `count` (a loop: slice and join cost more, on every line explained). */
export const list = (items: readonly string[], count: number) => {
  if (count <= 1) return items[0] ?? "";
  let text = items[0]!;
  for (let n = 1; n < count - 1; n++) text += `, ${items[n]}`;
  return `${text} and ${items[count - 1]}`;
};
const hours = (n: number) => `${n} ${n === 1 ? "hour" : "hours"}`;

/** Who reads that an item needs a skill: the volunteer (by the item's kind) or the call's maintainer. */
export const READERS = ["this call", "this project", "this transfer", "your call"] as const;
export const MAINTAINER_READER = 3;
export const READER_OF_KIND: Record<Opportunity["kind"], number> = { call: 0, project: 1, transfer: 2 };

/**
 * The texts about one skill (names are few: the skills taxonomy), each written when first needed:
 * "expert in Django ORM" by level held; "expert in Django ORM, which this call needs" by reader
 * and level; "needs Security at expert; you are comfortable" by side, level asked and level held.
 */
export type SkillTexts = { name: string; held: string[]; needs: string[]; below: string[] };
const skillTexts = new Map<string, SkillTexts>();
export function textsOf(name: string): SkillTexts {
  let texts = skillTexts.get(name);
  if (!texts) skillTexts.set(name, (texts = { name, held: [], needs: [], below: [] }));
  return texts;
}
const LEVEL_NAMES: readonly string[] = ["", "learning", "comfortable", "expert"]; // by LEVEL_VALUE
export function heldText(t: SkillTexts, have: number): string {
  return (t.held[have] ??= `${LEVEL_NAMES[have]} in ${t.name}`);
}
export function needsText(t: SkillTexts, reader: number, have: number): string {
  return (t.needs[reader * 4 + have] ??= `${heldText(t, have)}, which ${READERS[reader]} needs`);
}
export function belowText(t: SkillTexts, you: boolean, wanted: number, have: number): string {
  const asked = LEVEL_NAMES[wanted];
  const held = LEVEL_NAMES[have];
  return (t.below[(you ? 0 : 16) + wanted * 4 + have] ??= you
    ? `needs ${t.name} at ${asked}; you are ${held}`
    : `your call needs ${t.name} at ${asked}; they are ${held}`);
}

/**
 * What one item's Django versions and one person's say, for each side: the versions shared (a reason
 * for) or the item's (a reason against). Kept per pair of lists: the loader shares each list among
 * everyone who has it (a run has a few dozen), and lists are not changed once loaded.
 */
type DjangoFit = { shared: boolean; texts: readonly [you: string, they: string] };
const djangoFits = new WeakMap<readonly string[], WeakMap<readonly string[], DjangoFit>>();
export function djangoFit(asked: readonly string[], known: readonly string[]): DjangoFit {
  let byKnown = djangoFits.get(asked);
  if (!byKnown) djangoFits.set(asked, (byKnown = new WeakMap()));
  let fit = byKnown.get(known);
  if (!fit) byKnown.set(known, (fit = writeDjango(asked, known)));
  return fit;
}
function writeDjango(asked: readonly string[], known: readonly string[]): DjangoFit {
  const shared = asked.filter((d) => known.includes(d));
  if (shared.length > 0) {
    const versions = shared.join(", ");
    return { shared: true, texts: [`targets Django ${versions}, which you know`, `knows Django ${versions}`] };
  }
  const versions = asked.join(", ");
  return {
    shared: false,
    texts: [`targets Django ${versions}, which you did not list`, `did not list Django ${versions}`],
  };
}

/** "asks 5 hours a week; you offered 4", or that they did not say how many. */
function writeHours(asked: number, offered: number | null, you: boolean): string {
  const asks = `asks ${hours(asked)} a week`;
  if (offered === null) {
    return `${asks}; ${you ? "you have not said how many you can give" : "they have not said how many they can give"}`;
  }
  return `${asks}; ${you ? "you" : "they"} offered ${offered}`;
}
/** Whole numbers of hours below this share their texts (all the usual ones); others are written each time. */
const SHARED_HOURS = 1000;
const hoursTexts = new Map<number, string>();
const sharesText = (n: number) => Number.isInteger(n) && n >= 0 && n < SHARED_HOURS;
export function hoursText(asked: number, offered: number | null, you: boolean): string {
  if (!sharesText(asked) || (offered !== null && !sharesText(offered))) return writeHours(asked, offered, you);
  const key = ((asked * (SHARED_HOURS + 1) + (offered ?? SHARED_HOURS)) << 1) | (you ? 0 : 1);
  let text = hoursTexts.get(key);
  if (text === undefined) hoursTexts.set(key, (text = writeHours(asked, offered, you)));
  return text;
}

/** "its maintainers are 2 hours from you", by hours rounded (0 to 12: the short way round the clock). */
export const writeZone = (rounded: number, you: boolean) =>
  rounded === 0
    ? you
      ? "its maintainers are in your time zone"
      : "in your time zone"
    : `${you ? "its maintainers are " : ""}${hours(rounded)} from you`;
export const ZONE_TEXTS = [true, false].map((you) =>
  Array.from({ length: 13 }, (_, rounded) => writeZone(rounded, you)),
);

/** "posted 3 days ago", in the first week. */
export const POSTED_TEXTS = Array.from({ length: 7 }, (_, days) =>
  days === 0 ? "posted today" : `posted ${days} ${days === 1 ? "day" : "days"} ago`,
);

/** "you said you would like to be a co-maintainer", by side and role. */
const roleTexts = [new Map<string, string>(), new Map<string, string>()];
export function roleText(chosen: string, you: boolean): string {
  const texts = roleTexts[you ? 0 : 1]!;
  let text = texts.get(chosen);
  if (text === undefined) {
    text = `${you ? "you said you would like to be" : "would like to be"} ${ROLE_LABEL[chosen] ?? chosen}`;
    texts.set(chosen, text);
  }
  return text;
}
