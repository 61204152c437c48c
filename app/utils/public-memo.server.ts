// Results computed from what visitors see (which calls are listed and in what order, their count),
// kept in memory and used again until that changes. Each entry is tagged with the public-content
// generation (app/utils/page-cache.server.ts), which every write to the listing's tables bumps in
// its own transaction (the triggers of db/migrations/0033_public_content_generation_triggers.sql)
// and every successful form post bumps too (server.ts). The generation is read from the database at
// each use, one primary-key read that goes out with the request's other reads: an instance sees its
// own writes and other instances' at once. Anything that depends on the clock belongs in
// the key (e.g. `isoDay(now)` for the listing rule).
//
//   const listed = publicMemo<number[]>(500);
//   const ids = await listed(`newest:${isoDay(now)}:${page}`, () => readIds(...));
//
// Store small values (ids, counts, a page of summaries; never rendered pages) read only from tables
// whose writes bump the generation. Callers arriving while an entry is being computed share that
// computation; a failed computation is not kept.
import { db, type Database } from "#app/utils/db.server.ts";
import { readPublicContentGeneration } from "#app/utils/page-cache.server.ts";

type Entry<T> = { generation: number; value: Promise<T> };

/**
 * A memo of at most `maxEntries` results (the least recently used goes first), each valid for the
 * public-content generation it was computed in. Entries belong to the database they were read from:
 * another database (a test's fresh copy) starts empty.
 */
export function publicMemo<T>(maxEntries: number): (key: string, compute: () => Promise<T>) => Promise<T> {
  const byDatabase = new WeakMap<Database, Map<string, Entry<T>>>();
  return async (key, compute) => {
    const database = db();
    let entries = byDatabase.get(database);
    if (!entries) byDatabase.set(database, (entries = new Map()));
    const entry = entries.get(key);
    // The generation is asked for before the computation's reads: a write landing in between leaves
    // a newer generation behind it, so no entry is tagged newer than what it was computed from.
    const generationRead = readPublicContentGeneration();
    // Nothing kept for this key: compute at once, in the same batch of reads as the generation (no
    // round trip added). Only an entry gone stale costs one more.
    const early = entry ? undefined : compute();
    early?.catch(() => undefined);
    const generation = await generationRead;
    entries.delete(key);
    if (entry?.generation === generation) {
      entries.set(key, entry);
      return entry.value;
    }
    const value = early ?? compute();
    const stored = { generation, value };
    entries.set(key, stored);
    if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    value.catch(() => {
      if (entries.get(key) === stored) entries.delete(key);
    });
    return value;
  };
}
