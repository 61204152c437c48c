// The expert pools: applying, admission by an admin (or directly for roadies and working-group
// members, except the security pool), pausing, and the lists on the pools page. A seat that opens
// up gives the requests still waiting for someone another try.
import { and, asc, eq, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry, recordAudit } from "#app/models/moderation/audit.server.ts";
import { isActiveRoadie, isWorkingGroupMember } from "#app/models/people/roadies.server.ts";
import { poolSeatActiveSql } from "#app/models/people/powers.server.ts";
import { assignWaitingRequests } from "#app/models/requests/routing.server.ts";
import { requestKinds, type PoolApplicationInput, type RequestKind } from "#app/models/requests/forms.ts";

const r = schema.specialRequests;
const pm = schema.expertPoolMembers;
const u = schema.users;

/**
 * Whether a person joins a pool without an admin's approval. The security pool always needs one;
 * the others take roadies and working-group members directly. The one place that asks [people].
 */
export async function admitsDirectly(userId: number, kind: RequestKind, now = Date.now()): Promise<boolean> {
  if (kind === "security") return false;
  return (await isActiveRoadie(userId, now)) || (await isWorkingGroupMember(userId, now));
}

export type PoolApplyResult = { ok: true; status: "active" | "pending" } | { ok: false; problem: string };

export async function applyToPool(
  userId: number,
  input: PoolApplicationInput,
  now = Date.now(),
): Promise<PoolApplyResult> {
  const existing = await db()
    .select()
    .from(pm)
    .where(and(eq(pm.kind, input.kind), eq(pm.userId, userId)))
    .get();
  const direct = await admitsDirectly(userId, input.kind, now);
  // A seat that ended with its role (taken as a roadie who no longer is one) can be applied for again.
  const seatEnded = existing?.status === "active" && existing.viaTrustRole && !direct;
  if (existing && existing.status !== "rejected" && !seatEnded) {
    return {
      ok: false,
      problem:
        existing.status === "active" ? "You are already in this pool." : "Your application is waiting for an admin.",
    };
  }
  const status = direct ? ("active" as const) : ("pending" as const);
  const values = {
    kind: input.kind,
    userId,
    status,
    evidence: input.evidence,
    paused: false,
    appliedAt: now,
    decidedAt: direct ? now : null,
    decidedByUserId: null,
    // A seat taken as a roadie or working-group member lasts only while the person still is one.
    viaTrustRole: direct,
  };
  await db().batch([
    db()
      .insert(pm)
      .values(values)
      .onConflictDoUpdate({ target: [pm.kind, pm.userId], set: values }),
    auditEntry(
      {
        actorUserId: userId,
        action: "pool.apply",
        objectType: "expert_pool",
        objectId: input.kind,
        detail: { status },
      },
      now,
    ),
  ]);
  if (status === "active") await assignWaitingRequests(now);
  return { ok: true, status };
}

/** Admits or declines a pending application; null when there is no such pending application. */
export async function decidePoolApplication(memberId: number, approve: boolean, actorUserId: number, now = Date.now()) {
  const updated = await db()
    .update(pm)
    .set({ status: approve ? "active" : "rejected", decidedAt: now, decidedByUserId: actorUserId, viaTrustRole: false })
    .where(and(eq(pm.id, memberId), eq(pm.status, "pending")))
    .returning({ id: pm.id, kind: pm.kind, userId: pm.userId });
  const row = updated[0];
  if (!row) return null;
  await recordAudit(
    {
      actorUserId,
      action: approve ? "pool.approve" : "pool.reject",
      objectType: "expert_pool_member",
      objectId: row.id,
      detail: { kind: row.kind, userId: row.userId },
    },
    now,
  );
  if (approve) await assignWaitingRequests(now);
  return { kind: row.kind };
}

export async function setPoolPaused(userId: number, kind: RequestKind, paused: boolean, now = Date.now()) {
  const updated = await db()
    .update(pm)
    .set({ paused })
    .where(and(eq(pm.userId, userId), eq(pm.kind, kind)))
    .returning({ id: pm.id });
  if (updated.length && !paused) await assignWaitingRequests(now);
  return updated.length > 0;
}

export function listMyPools(userId: number) {
  return db().select().from(pm).where(eq(pm.userId, userId)).orderBy(asc(pm.kind)).all();
}

/** Active members per pool with their open assignments (for the pools page). */
export async function listPools() {
  const rows = await db()
    .select({
      id: pm.id,
      kind: pm.kind,
      userId: pm.userId,
      login: u.login,
      name: u.name,
      paused: pm.paused,
      open: sql<number>`(SELECT count(*) FROM ${r} WHERE ${r.assigneeUserId} = ${pm.userId} AND ${r.state} IN ('new','acknowledged','in_progress'))`,
    })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(poolSeatActiveSql(Date.now()))
    .orderBy(asc(pm.kind), asc(sql`lower(${u.login})`))
    .all();
  return requestKinds.map((kind) => ({ kind, members: rows.filter((m) => m.kind === kind) }));
}

export function listPendingApplications() {
  return db()
    .select({ id: pm.id, kind: pm.kind, login: u.login, name: u.name, evidence: pm.evidence, appliedAt: pm.appliedAt })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(eq(pm.status, "pending"))
    .orderBy(asc(pm.appliedAt))
    .all();
}
