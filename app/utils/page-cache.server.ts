// A micro-cache for pages seen by anonymous visitors: a spike of traffic from a shared link is served
// from memory. Entries are keyed by URL and tagged with the public-content generation, a counter in
// the database that every write bumps, so a change is visible at once on every instance.
import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";

export type CachedPage = {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  gzip: Buffer;
  etag: string;
  generation: number;
  storedAt: number;
};

const GENERATION_KEY = "public-content";
/** How long an instance trusts the generation it read (the staleness bound across instances). */
const GENERATION_MEMO_MS = 1_000;

let memo: { value: number; readAt: number } | undefined;

/** The current public-content generation (read from the database at most once a second). */
export async function publicContentGeneration(now = Date.now()): Promise<number> {
  if (memo && now - memo.readAt < GENERATION_MEMO_MS) return memo.value;
  const row = await db()
    .select({ value: schema.appState.value })
    .from(schema.appState)
    .where(sql`${schema.appState.key} = ${GENERATION_KEY}`)
    .get();
  memo = { value: row?.value ?? 0, readAt: now };
  return memo.value;
}

/** Marks every cached anonymous page as stale: call after any change to what visitors can see. */
export async function bumpPublicContent(): Promise<void> {
  await db()
    .insert(schema.appState)
    .values({ key: GENERATION_KEY, value: 1 })
    .onConflictDoUpdate({ target: schema.appState.key, set: { value: sql`${schema.appState.value} + 1` } });
  memo = undefined;
}

/** A bounded least-recently-used store of rendered pages. */
export class PageCache {
  private entries = new Map<string, CachedPage>();
  private bytes = 0;

  constructor(private readonly limits = { maxEntries: 1_000, maxBytes: 16 * 1024 * 1024, ttlMs: 60_000 }) {}

  get(key: string, generation: number, now = Date.now()): CachedPage | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.generation !== generation || now - entry.storedAt > this.limits.ttlMs) {
      this.delete(key);
      return undefined;
    }
    // Re-insert: Map order is the recency order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, page: Omit<CachedPage, "gzip" | "etag">): void {
    const gzip = gzipSync(page.body, { level: 6 });
    const etag = `"${createHash("sha1").update(page.body).digest("base64url")}"`;
    this.delete(key);
    this.entries.set(key, { ...page, gzip, etag });
    this.bytes += page.body.length + gzip.length;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes) break;
      this.delete(oldest);
    }
  }

  get size() {
    return this.entries.size;
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.body.length + entry.gzip.length;
    this.entries.delete(key);
  }
}
