// Readable differences between two texts of a guide, and the three-way merge that lets a reviewer
// accept a suggestion made on an older revision. Pure functions (jsdiff): the pages render the
// blocks with <ins>/<del>, so a change is told by the markup and words, never by colour alone.
import { diffArrays, diffLines, diffWordsWithSpace } from "diff";

export type WordPart = { kind: "same" | "added" | "removed"; text: string };
export type DiffBlock =
  /** Unchanged lines; `hidden` counts the lines folded away in the middle of a long run. */
  | { kind: "same"; before: string[]; hidden: number; after: string[] }
  | { kind: "added"; lines: string[] }
  | { kind: "removed"; lines: string[] }
  /** Lines rewritten in place: the word-by-word difference. */
  | { kind: "changed"; parts: WordPart[] };

export type TextDiff = { blocks: DiffBlock[]; added: number; removed: number; identical: boolean };

/** Unchanged lines kept on each side of a change; longer runs are folded. */
const CONTEXT = 2;

function normalise(text: string): string {
  const unix = text.replace(/\r\n?/g, "\n");
  return unix.endsWith("\n") ? unix : `${unix}\n`;
}

function splitLines(value: string): string[] {
  const lines = value.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function foldSame(lines: string[], first: boolean, last: boolean): DiffBlock {
  const keepBefore = first ? 0 : CONTEXT;
  const keepAfter = last ? 0 : CONTEXT;
  if (lines.length <= keepBefore + keepAfter + 1) return { kind: "same", before: lines, hidden: 0, after: [] };
  return {
    kind: "same",
    before: lines.slice(0, keepBefore),
    hidden: lines.length - keepBefore - keepAfter,
    after: keepAfter ? lines.slice(lines.length - keepAfter) : [],
  };
}

/** The difference from `before` to `after`, line by line, with word detail where lines were rewritten. */
export function diffTexts(before: string, after: string): TextDiff {
  const changes = diffLines(normalise(before), normalise(after));
  const blocks: DiffBlock[] = [];
  let added = 0;
  let removed = 0;
  for (let i = 0; i < changes.length; i++) {
    const change = changes[i]!;
    const lines = splitLines(change.value);
    if (change.removed) {
      const next = changes[i + 1];
      removed += lines.length;
      if (next?.added) {
        const nextLines = splitLines(next.value);
        added += nextLines.length;
        i++;
        blocks.push({ kind: "changed", parts: wordParts(lines.join("\n"), nextLines.join("\n")) });
      } else {
        blocks.push({ kind: "removed", lines });
      }
    } else if (change.added) {
      added += lines.length;
      blocks.push({ kind: "added", lines });
    } else {
      blocks.push(foldSame(lines, i === 0, i === changes.length - 1));
    }
  }
  return { blocks, added, removed, identical: added === 0 && removed === 0 };
}

function wordParts(before: string, after: string): WordPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({
    kind: c.added ? "added" : c.removed ? "removed" : "same",
    text: c.value,
  }));
}

/** A change to a range of the base's lines, [start, end), replaced by `lines` (start = end: an insertion). */
type Edit = { start: number; end: number; lines: string[] };

function editsFrom(base: string[], other: string[]): Edit[] {
  const edits: Edit[] = [];
  let pos = 0;
  for (const change of diffArrays(base, other)) {
    const last = edits.at(-1);
    const adjacent = last !== undefined && last.end === pos;
    if (change.added) {
      if (adjacent) last.lines.push(...change.value);
      else edits.push({ start: pos, end: pos, lines: [...change.value] });
    } else if (change.removed) {
      if (adjacent) last.end += change.value.length;
      else edits.push({ start: pos, end: pos + change.value.length, lines: [] });
      pos += change.value.length;
    } else {
      pos += change.value.length;
    }
  }
  return edits;
}

const sameEdit = (a: Edit, b: Edit) =>
  a.start === b.start &&
  a.end === b.end &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => l === b.lines[i]);

/**
 * The suggestion's change (from `base` to `proposed`) applied to the guide's `current` text, or
 * null when both changed the same or neighbouring lines and a person must reconcile them. A
 * three-way merge by line: each side's changes are ranges of the base, kept when they do not touch.
 */
export function mergeOnto(base: string, proposed: string, current: string): string | null {
  const b = splitLines(normalise(base));
  const mine = editsFrom(b, splitLines(normalise(proposed)));
  const theirs = editsFrom(b, splitLines(normalise(current)));
  const edits: Edit[] = [...theirs];
  for (const e of mine) {
    const touching = theirs.find((t) => e.start <= t.end && t.start <= e.end);
    if (touching) {
      if (sameEdit(touching, e)) continue;
      return null;
    }
    edits.push(e);
  }
  edits.sort((x, y) => x.start - y.start || x.end - y.end);
  const out: string[] = [];
  let pos = 0;
  for (const e of edits) {
    out.push(...b.slice(pos, e.start), ...e.lines);
    pos = e.end;
  }
  out.push(...b.slice(pos));
  return `${out.join("\n")}\n`;
}
