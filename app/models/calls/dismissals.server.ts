// "Not for me": a person marks a call they do not want to see again. The digest's matching
// (matching.server.ts) reads the `match_dismissals` table; this file is the only one that writes it.
import { and, desc, eq, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getVisibleCall } from "#app/models/calls/calls.server.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { isVerifiedMaintainer } from "#app/models/packages/maintainers.server.ts";

const CALL = "call";

/**
 * The call a signed-in person may mark "not for me": it must exist, not be hidden (even from an
 * admin who could otherwise see it), and not belong to a package the person maintains. Anything
 * else is a 404, so the action reveals nothing about calls the person cannot see.
 */
export async function requireDismissableCall(request: Request, rawId: string | undefined) {
  const user = await requireUser(request);
  const call = await getVisibleCall(rawId, user);
  if (!call || call.hidden || (await isVerifiedMaintainer(user.id, call.packageId))) {
    throw new Response("Not found", { status: 404 });
  }
  return { user, call };
}

/** Marks the call "not for me". Idempotent: a second press keeps the one row (and its first date). */
export async function dismissCall(userId: number, callId: number, now = Date.now()) {
  await db()
    .insert(schema.matchDismissals)
    .values({ userId, itemKind: CALL, itemId: String(callId), createdAt: now })
    .onConflictDoNothing();
}

/** The one row that says this person marked this call "not for me". */
const dismissalOf = (userId: number, callId: number) =>
  and(
    eq(schema.matchDismissals.userId, userId),
    eq(schema.matchDismissals.itemKind, CALL),
    eq(schema.matchDismissals.itemId, String(callId)),
  );

/** Undoes "not for me"; nothing happens if the call was not dismissed. */
export async function undoCallDismissal(userId: number, callId: number) {
  await db().delete(schema.matchDismissals).where(dismissalOf(userId, callId));
}

export async function isCallDismissed(userId: number, callId: number): Promise<boolean> {
  const row = await dismissal().get({ userId, itemId: String(callId) });
  return Boolean(row);
}

// The same row, built once (db.server.ts `prepared`): the call page asks on every signed-in request.
const dismissal = prepared((d) =>
  d
    .select({ userId: schema.matchDismissals.userId })
    .from(schema.matchDismissals)
    .where(
      and(
        eq(schema.matchDismissals.userId, sql.placeholder("userId")),
        eq(schema.matchDismissals.itemKind, CALL),
        eq(schema.matchDismissals.itemId, sql.placeholder("itemId")),
      ),
    )
    .prepare(),
);

export type DismissedCall = { id: number; title: string; packageName: string; dismissedAt: number };

/**
 * The calls a person marked "not for me", newest first, for their notification settings. Calls
 * the working group hid since are left out: the page must not keep showing them.
 */
export async function listDismissedCalls(userId: number): Promise<DismissedCall[]> {
  const d = schema.matchDismissals;
  const c = schema.calls;
  return db()
    .select({ id: c.id, title: c.title, packageName: schema.packages.name, dismissedAt: d.createdAt })
    .from(d)
    .innerJoin(c, sql`${c.id} = CAST(${d.itemId} AS INTEGER)`)
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(and(eq(d.userId, userId), eq(d.itemKind, CALL), sql`NOT ${hiddenSql("call", d.itemId)}`))
    .orderBy(desc(d.createdAt), desc(c.id))
    .all();
}
