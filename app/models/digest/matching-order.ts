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

const KIND_RANK: Record<Match["kind"], number> = { interest: 0, call: 1, transfer: 2, project: 3, volunteer: 4 };

/** A number that orders equal scores: by kind, then by id as a number (call 9 before call 10). */
export function tieOrder(kind: Match["kind"], order: number): number {
  return KIND_RANK[kind] * 1e12 + order;
}

/** Deterministic order: the exact score, then the tie order. */
export function compareMatches(a: Match, b: Match): number {
  return b.score - a.score || tieOrder(a.kind, a.order) - tieOrder(b.kind, b.order);
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
