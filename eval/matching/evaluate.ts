// Runs the product's matcher over a labelled set and measures it with the evaluation's own checks
// (eval/matching/spec.ts and reasons.ts): accuracy of the intended item, rule breaks in every
// digest line on both sides, and false or misleading reasons.
import { digestSections } from "#db/schema/digest.ts";
import type { Match, MatchingData, Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";
import { checkReasons, type Problem, type ProblemKind } from "./reasons.ts";
import { itemKey, type Label, type LabelledSet } from "./set-file.ts";
import { ruleBreaks, type RuleName } from "./spec.ts";

export type Matcher = { matchesFor(userId: number, sections: readonly (typeof digestSections)[number][]): Match[] };

/** Rule breaks: the spec's hard rules, plus what the maintainer side must never show. */
export type Break = RuleName | "hidden profile" | "not their call" | "own call" | "unknown item";
export type Side = "volunteer" | "maintainer";

export type LineFinding = {
  side: Side;
  /** Who received the line. */
  readerId: number;
  /** Position among the reader's lines (1-based). */
  position: number;
  line: Match;
  volunteer: Volunteer | null;
  item: Opportunity | null;
  breaks: Break[];
  problems: Problem[];
};

export type Miss = { label: Label; rank: number | null; lines: Match[] };

export type Result = {
  labelled: number;
  top: { 1: number; 3: number; 5: number };
  misses: Miss[];
  lines: Record<Side, number>;
  breaking: LineFinding[];
  misleading: LineFinding[];
  /** Lines given to people who must get nothing (controls). */
  controlLines: number;
  ms: number;
};

const ITEM_KINDS = new Set(["call", "project", "transfer"]);

/** Checks one volunteer-side line (an item suggested to `v`). */
export function checkVolunteerLine(data: MatchingData, v: Volunteer, o: Opportunity | null, line: Match) {
  if (!o) return { breaks: ["unknown item"] as Break[], problems: [] as Problem[] };
  return {
    breaks: ruleBreaks(v, o) as Break[],
    problems: checkReasons("volunteer", v, o, line.reasons, { now: data.now, skillNames: data.skillNames }),
  };
}

/** Checks one maintainer-side line (volunteer `v` suggested to `reader` for `call`). */
export function checkMaintainerLine(
  data: MatchingData,
  reader: Volunteer | null,
  v: Volunteer | null,
  call: (Opportunity & { maintainerIds: number[] }) | null,
  line: Match,
) {
  if (!v || !call) return { breaks: ["unknown item"] as Break[], problems: [] as Problem[] };
  const breaks: Break[] = ruleBreaks(v, call);
  if (!v.discoverable) breaks.push("hidden profile");
  if (reader && !call.maintainerIds.includes(reader.id)) breaks.push("not their call");
  if (call.maintainerIds.includes(v.id)) breaks.push("own call");
  const problems = checkReasons("maintainer", v, call, line.reasons, {
    now: data.now,
    skillNames: data.skillNames,
    readerOffset: reader?.offsetHours ?? null,
  });
  return { breaks, problems };
}

export function evaluate(set: LabelledSet, createMatcher: (data: MatchingData) => Matcher): Result {
  const { data } = set;
  const started = performance.now();
  const matcher = createMatcher(data);
  const items = new Map(data.opportunities.map((o) => [itemKey(o), o]));
  const calls = new Map(data.maintainerCalls.map((c) => [c.id, c]));
  const byLogin = new Map([...data.volunteers.values()].map((v) => [v.login, v]));
  const digests = new Map<number, Match[]>();
  for (const id of data.volunteers.keys()) digests.set(id, matcher.matchesFor(id, digestSections));
  const ms = performance.now() - started;

  const lines: Record<Side, number> = { volunteer: 0, maintainer: 0 };
  const breaking: LineFinding[] = [];
  const misleading: LineFinding[] = [];
  for (const [readerId, digest] of digests) {
    const reader = data.volunteers.get(readerId)!;
    digest.forEach((line, i) => {
      let finding: LineFinding;
      if (ITEM_KINDS.has(line.kind)) {
        const o = items.get(itemKey(line)) ?? null;
        lines.volunteer += 1;
        const r = checkVolunteerLine(data, reader, o, line);
        finding = { side: "volunteer", readerId, position: i + 1, line, volunteer: reader, item: o, ...r };
      } else if (line.kind === "volunteer") {
        const [login, callId] = line.id.split("@") as [string, string];
        const v = byLogin.get(login) ?? null;
        const call = calls.get(callId) ?? null;
        lines.maintainer += 1;
        const r = checkMaintainerLine(data, reader, v, call, line);
        finding = { side: "maintainer", readerId, position: i + 1, line, volunteer: v, item: call, ...r };
      } else {
        return; // interests: none in the sets
      }
      if (finding.breaks.length > 0) breaking.push(finding);
      if (finding.problems.length > 0) misleading.push(finding);
    });
  }

  const top = { 1: 0, 3: 0, 5: 0 };
  const misses: Miss[] = [];
  for (const label of set.labels) {
    const own = (digests.get(label.volunteerId) ?? []).filter((m) => ITEM_KINDS.has(m.kind));
    const at = own.findIndex((m) => itemKey(m) === label.intended);
    const rank = at < 0 ? null : at + 1;
    if (rank !== null && rank <= 1) top[1] += 1;
    if (rank !== null && rank <= 3) top[3] += 1;
    if (rank !== null && rank <= 5) top[5] += 1;
    if (rank !== 1) misses.push({ label, rank, lines: own });
  }
  const controlLines = set.controls.reduce((n, c) => n + (digests.get(c.volunteerId)?.length ?? 0), 0);
  return { labelled: set.labels.length, top, misses, lines, breaking, misleading, controlLines, ms };
}

export const TARGETS = { top1: 0.8, top3: 0.95 } as const;

export function countBy<T extends string>(xs: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const problemKinds = (f: LineFinding[]): ProblemKind[] =>
  f.flatMap((x) => [...new Set(x.problems.map((p) => p.kind))]);
