// Addresses we must not email: hard bounces and spam complaints reported by Resend's webhooks.
// The email module checks this list before every send (app/utils/email.server.ts), so no kind of
// email, digest or otherwise, reaches a suppressed address.
import { eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { addressFor } from "#app/utils/email-address.server.ts";
import type { SuppressionReason } from "#db/schema/core.ts";

export const normalizeAddress = (address: string) => address.trim().toLowerCase();

export async function suppressAddress(address: string, reason: SuppressionReason, now = Date.now()): Promise<void> {
  await db()
    .insert(schema.emailSuppressions)
    .values({ address: normalizeAddress(address), reason, createdAt: now })
    // A complaint outweighs a bounce: keep the stronger reason.
    .onConflictDoUpdate({
      target: schema.emailSuppressions.address,
      set: { reason },
      setWhere: sql`${reason} = 'complained'`,
    });
}

export async function suppressionFor(
  address: string | null,
): Promise<{ reason: SuppressionReason; since: number } | null> {
  if (!address) return null;
  const row = await db()
    .select()
    .from(schema.emailSuppressions)
    .where(eq(schema.emailSuppressions.address, normalizeAddress(address)))
    .get();
  return row ? { reason: row.reason, since: row.createdAt } : null;
}

/** The person asks to receive email at their address again after a bounce or complaint. */
export async function reenableAddress(userId: number): Promise<void> {
  const address = await addressFor(userId);
  if (!address) return;
  await db()
    .delete(schema.emailSuppressions)
    .where(eq(schema.emailSuppressions.address, normalizeAddress(address)));
}

/** All suppressed addresses, for a bulk job planning whom to write to. */
export async function suppressedAddresses(): Promise<Set<string>> {
  const rows = await db().select({ address: schema.emailSuppressions.address }).from(schema.emailSuppressions).all();
  return new Set(rows.map((r) => r.address));
}

/** Which of `addresses` are suppressed, and why, keyed by the normalized address. */
export async function suppressionsAmong(addresses: string[]): Promise<Map<string, SuppressionReason>> {
  const found = new Map<string, SuppressionReason>();
  const wanted = [...new Set(addresses.map(normalizeAddress))];
  // Well under SQLite's limit on bound variables per statement.
  for (let i = 0; i < wanted.length; i += 500) {
    const rows = await db()
      .select({ address: schema.emailSuppressions.address, reason: schema.emailSuppressions.reason })
      .from(schema.emailSuppressions)
      .where(inArray(schema.emailSuppressions.address, wanted.slice(i, i + 500)))
      .all();
    for (const row of rows) found.set(row.address, row.reason);
  }
  return found;
}
