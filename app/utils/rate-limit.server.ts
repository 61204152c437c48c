// Fixed-window rate limits counted in the database, so they hold across every instance.
import { lt, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export type RateRule = { name: string; limit: number; windowMs: number };
export type RateResult = { allowed: boolean; remaining: number; retryAfterSeconds: number };

/** Counts one hit for `key` under `rule` and says whether it is allowed. */
export async function hitRateLimit(rule: RateRule, key: string, now = Date.now()): Promise<RateResult> {
  const windowStart = now - (now % rule.windowMs);
  const t = schema.rateLimits;
  const [row] = await db()
    .insert(t)
    .values({ key: `${rule.name}:${key}`, windowStart, count: 1 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`CASE WHEN ${t.windowStart} = excluded.window_start THEN ${t.count} + 1 ELSE 1 END`,
        windowStart: sql`excluded.window_start`,
      },
    })
    .returning({ count: t.count });
  const count = row?.count ?? 1;
  return {
    allowed: count <= rule.limit,
    remaining: Math.max(0, rule.limit - count),
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + rule.windowMs - now) / 1000)),
  };
}

/** Drops counters whose window ended long ago (housekeeping). */
export async function pruneRateLimits(now = Date.now(), olderThanMs = DAY_MS) {
  await db()
    .delete(schema.rateLimits)
    .where(lt(schema.rateLimits.windowStart, now - olderThanMs));
}
