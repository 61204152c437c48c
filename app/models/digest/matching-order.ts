// Which items may reach a person (own packages, dismissed, answered, recently shown), in which
// order, under which caps, and how a reason reads on the maintainer's side. Pure functions.
import { MAX_ITEMS, MAX_PER_PACKAGE, type History, type Match } from "#app/models/digest/matching-rules.ts";

export function itemKey(kind: string, id: string): string {
  return `${kind}:${id}`;
}

/** Whether an item may appear for this person at all (own packages, dismissed, answered, shown recently). */
export function isExcluded(h: History, o: { kind: string; id: string; packageId: number; updatedAt: number }): boolean {
  if (h.ownPackageIds.has(o.packageId)) return true;
  if (h.excluded.size === 0 && h.recentlyShown.size === 0) return false;
  const key = itemKey(o.kind, o.id);
  if (h.excluded.has(key)) return true;
  const shownAt = h.recentlyShown.get(key);
  return shownAt !== undefined && o.updatedAt <= shownAt;
}

/** Deterministic order: best score, then newest, then key. */
export function compareMatches(a: Match, b: Match): number {
  return b.score - a.score || b.updatedAt - a.updatedAt || itemKey(a.kind, a.id).localeCompare(itemKey(b.kind, b.id));
}

/** Applies the caps: at most 2 per package, at most 10 in all. `matches` must be in priority order. */
export function applyCaps(matches: Match[], max = MAX_ITEMS, perPackage = MAX_PER_PACKAGE): Match[] {
  const perPkg = new Map<number, number>();
  const chosen: Match[] = [];
  for (const m of matches) {
    if (chosen.length >= max) break;
    const n = perPkg.get(m.packageId) ?? 0;
    if (n >= perPackage) continue;
    perPkg.set(m.packageId, n + 1);
    chosen.push(m);
  }
  return chosen;
}

/** Reasons are written to the volunteer; on the maintainer's side they describe the volunteer. */
export function theirReason(reason: string): string | null {
  // What is said about the call (urgency, age) is no news to its own maintainer.
  if (/^(posted|marked) /.test(reason)) return null;
  return reason
    .replace(/^(learning|comfortable|expert) in (.+), which this call needs$/, "$1 in $2, which your call needs")
    .replace(/^you said you would like to be /, "would like to be ")
    .replace(/; you offered (\d+)$/, "; they offered $1")
    .replace(/^targets Django (.+), which you know$/, "knows Django $1")
    .replace(/^its maintainers are in your time zone$/, "in your time zone")
    .replace(/^its maintainers are (\d+) (hours?) from you$/, "$1 $2 from you")
    .replace(/^it needs a roadie, and you are one$/, "an active roadie");
}
