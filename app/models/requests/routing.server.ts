// Routing special requests to the expert pools: one pool member at a time, with an
// acknowledgement deadline; the hourly sweeper hands a request on when its deadline passes and
// retries the ones nobody could take. Every step is guarded by what the caller saw, so a second or
// concurrent run changes nothing.
import { and, asc, count, eq, isNotNull, isNull, lte, ne, notInArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { localHoursInUtc, sharedHours } from "#app/utils/time.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { poolSeatActiveSql } from "#app/models/people/powers.server.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { emailAdmins, emailAssignee } from "#app/models/requests/emails.server.ts";
import { notificationWrites } from "#app/models/inbox/notifications.server.ts";
import { assignmentNotice, remindAcknowledgements } from "#app/models/requests/request-inbox.server.ts";
import type { SpecialRequest } from "#db/schema.ts";
import { deadlineKeys, defaultDeadlineDays, type DeadlineKey } from "#app/models/requests/forms.ts";
import { DAY_MS } from "#app/utils/dates.ts";

const r = schema.specialRequests;
const a = schema.requestAssignments;
const ev = schema.requestEvents;
const pm = schema.expertPoolMembers;
const u = schema.users;
const maint = schema.packageMaintainers;

// ---------------------------------------------------------------------------------------------
// Acknowledgement deadlines (Django Commons' security precedent; admins can change them)

export async function getDeadlineDays(): Promise<Record<DeadlineKey, number>> {
  const rows = await db().select().from(schema.requestDeadlineSettings).all();
  const days = { ...defaultDeadlineDays };
  for (const row of rows) if (row.key in days) days[row.key as DeadlineKey] = row.days;
  return days;
}

export async function saveDeadlineDays(input: Record<DeadlineKey, number>, actorUserId: number, now = Date.now()) {
  const t = schema.requestDeadlineSettings;
  await db().batch([
    auditEntry(
      {
        actorUserId,
        action: "requests.deadlines",
        objectType: "request_settings",
        objectId: "deadlines",
        detail: input,
      },
      now,
    ),
    ...deadlineKeys.map((key) =>
      db()
        .insert(t)
        .values({ key, days: input[key], updatedAt: now })
        .onConflictDoUpdate({ target: t.key, set: { days: input[key], updatedAt: now } }),
    ),
  ]);
}

export function deadlineKeyOf(request: Pick<SpecialRequest, "kind" | "severity">): DeadlineKey {
  return request.kind === "security" ? (request.severity ?? "none") : "other";
}

// ---------------------------------------------------------------------------------------------
// Routing

/** Hours of the 09:00-17:00 working day that two time zones share on the day of `now` (0 when either is unknown). */
export function overlapHours(a: string | null, b: string | null, now: number): number {
  const day = { slotMinutes: 30, days: 1 } as const;
  const x = localHoursInUtc(a, 9, 17, now, day);
  const y = localHoursInUtc(b, 9, 17, now, day);
  return x && y ? sharedHours(x, y, day.slotMinutes) : 0;
}

/** Two shared working hours are enough to talk on the same day. */
const OVERLAP_HOURS_WANTED = 2;

type Candidate = {
  userId: number;
  timezone: string | null;
  open: number;
  lastAssignedAt: number | null;
  memberId: number;
};

/**
 * The pool member who should get this request next: fewest open assignments; among those, people
 * whose working day overlaps a maintainer's; then round-robin (the least recently assigned).
 * Never a maintainer of the package (verified or invited), never a suspended account, never
 * someone paused, and not anyone in `exclude` (past assignees when reassigning).
 */
export async function chooseAssignee(
  request: Pick<SpecialRequest, "kind" | "packageId" | "filedByUserId">,
  exclude: number[],
  now = Date.now(),
): Promise<Candidate | null> {
  const candidates: Candidate[] = await db()
    .select({
      userId: pm.userId,
      memberId: pm.id,
      timezone: u.timezone,
      lastAssignedAt: pm.lastAssignedAt,
      open: sql<number>`(SELECT count(*) FROM ${r} WHERE ${r.assigneeUserId} = ${pm.userId} AND ${r.state} IN ('new','acknowledged','in_progress'))`,
    })
    .from(pm)
    .innerJoin(u, eq(u.id, pm.userId))
    .where(
      and(
        eq(pm.kind, request.kind),
        poolSeatActiveSql(now),
        eq(pm.paused, false),
        sql`NOT EXISTS (SELECT 1 FROM ${maint} WHERE ${maint.packageId} = ${request.packageId} AND ${maint.userId} = ${pm.userId})`,
        request.filedByUserId ? ne(pm.userId, request.filedByUserId) : undefined,
        exclude.length ? notInArray(pm.userId, exclude) : undefined,
      ),
    )
    .all();
  if (candidates.length === 0) return null;
  const maintainerZones = (
    await db()
      .select({ timezone: u.timezone })
      .from(maint)
      .innerJoin(u, eq(u.id, maint.userId))
      .where(and(eq(maint.packageId, request.packageId), verifiedRowSql))
      .all()
  ).map((m) => m.timezone);
  // Computed once per candidate, not in every comparison of the sort.
  const overlapping = new Map(
    candidates.map((c) => [
      c,
      maintainerZones.some((z) => overlapHours(c.timezone, z, now) >= OVERLAP_HOURS_WANTED) ? 1 : 0,
    ]),
  );
  const overlaps = (c: Candidate) => overlapping.get(c)!;
  candidates.sort(
    (x, y) =>
      Number(x.open) - Number(y.open) ||
      overlaps(y) - overlaps(x) ||
      (x.lastAssignedAt ?? -1) - (y.lastAssignedAt ?? -1) ||
      x.memberId - y.memberId,
  );
  return candidates[0]!;
}

function ackDueFrom(
  request: Pick<SpecialRequest, "kind" | "severity">,
  days: Record<DeadlineKey, number>,
  now: number,
) {
  return now + days[deadlineKeyOf(request)] * DAY_MS;
}

async function pastAssignees(requestId: number): Promise<number[]> {
  const rows = await db().select({ userId: a.userId }).from(a).where(eq(a.requestId, requestId)).all();
  return [...new Set(rows.map((row) => row.userId))];
}

export type AssignReason = "filed" | "expired" | "waiting";

/**
 * Gives the request to the next pool member, if its assignment is still what the caller saw
 * (`expected`): a second sweeper run, or a concurrent one, finds it changed and does nothing.
 * Returns the new assignee's id, or null when nobody could take it.
 */
export async function assignNext(
  request: SpecialRequest,
  reason: AssignReason,
  now: number,
): Promise<{ assigneeUserId: number | null; changed: boolean }> {
  const past = await pastAssignees(request.id);
  let chosen = await chooseAssignee(request, past, now);
  // Everyone has had a turn: start again with anyone but the person who just let it lapse.
  if (!chosen && past.length)
    chosen = await chooseAssignee(request, request.assigneeUserId ? [request.assigneeUserId] : [], now);
  const days = await getDeadlineDays();
  const newDue = chosen ? ackDueFrom(request, days, now) : null;
  if (!chosen && reason !== "expired") return { assigneeUserId: null, changed: false };

  const sameAsSeen = and(
    eq(r.id, request.id),
    eq(r.state, "new"),
    request.assigneeUserId === null ? isNull(r.assigneeUserId) : eq(r.assigneeUserId, request.assigneeUserId),
    request.ackDueAt === null ? isNull(r.ackDueAt) : eq(r.ackDueAt, request.ackDueAt),
  );
  const claimed = await db()
    .update(r)
    .set({ assigneeUserId: chosen?.userId ?? null, ackDueAt: newDue, updatedAt: now })
    .where(sameAsSeen)
    .returning({ id: r.id });
  if (claimed.length === 0) return { assigneeUserId: request.assigneeUserId, changed: false };

  const writes = [];
  if (request.assigneeUserId !== null) {
    writes.push(
      db()
        .update(a)
        .set({ endedAt: now, endReason: "expired" })
        .where(and(eq(a.requestId, request.id), eq(a.userId, request.assigneeUserId), isNull(a.endedAt))),
    );
  }
  if (chosen) {
    writes.push(
      db().insert(a).values({ requestId: request.id, userId: chosen.userId, assignedAt: now }),
      db().update(pm).set({ lastAssignedAt: now }).where(eq(pm.id, chosen.memberId)),
      // [inbox] the expert's inbox, in the same write as the assignment.
      ...notificationWrites([await assignmentNotice(request, chosen.userId, now)], now),
    );
  }
  writes.push(
    db()
      .insert(ev)
      .values({
        requestId: request.id,
        type: chosen ? (reason === "expired" ? "reassigned" : "assigned") : "unassigned",
        actorUserId: null,
        subjectUserId: chosen?.userId ?? null,
        createdAt: now,
      }),
  );
  const [first, ...rest] = writes;
  await db().batch([first!, ...rest]);
  log.info("special request assigned", {
    requestId: request.id,
    assigneeUserId: chosen?.userId ?? null,
    reason,
  });
  return { assigneeUserId: chosen?.userId ?? null, changed: true };
}

// ---------------------------------------------------------------------------------------------
// The sweeper: hourly, idempotent

/** Reassigns requests whose acknowledgement deadline passed, and assigns ones still waiting. */
export async function sweepRequests(now = Date.now()): Promise<{ reassigned: number; assigned: number }> {
  const expired = await db()
    .select()
    .from(r)
    .where(and(eq(r.state, "new"), isNotNull(r.ackDueAt), lte(r.ackDueAt, now)))
    .orderBy(asc(r.ackDueAt))
    .all();
  let reassigned = 0;
  for (const request of expired) {
    const result = await assignNext(request, "expired", now);
    if (!result.changed) continue;
    reassigned += 1;
    // The key names this lapse: the request's assignment count makes each lapse its own email.
    const lapses =
      (
        await db()
          .select({ n: count() })
          .from(a)
          .where(and(eq(a.requestId, request.id), eq(a.endReason, "expired")))
          .get()
      )?.n ?? 0;
    await emailAdmins(request.id, `requests:expired:${request.id}:${lapses}`, "expired");
    if (result.assigneeUserId) await emailAssignee(request.id, result.assigneeUserId, now);
  }
  const assigned = await assignWaitingRequests(now);
  // [inbox] assignees whose acknowledgement deadline is near.
  await remindAcknowledgements(now);
  return { reassigned, assigned };
}

/** Requests nobody could take when they were filed get a new try (someone joined or came back). */
export async function assignWaitingRequests(now = Date.now()): Promise<number> {
  const waiting = await db()
    .select()
    .from(r)
    .where(and(eq(r.state, "new"), isNull(r.assigneeUserId)))
    .orderBy(asc(r.createdAt))
    .all();
  let assigned = 0;
  for (const request of waiting) {
    const result = await assignNext(request, "waiting", now);
    if (result.changed && result.assigneeUserId) {
      assigned += 1;
      await emailAssignee(request.id, result.assigneeUserId, now);
    }
  }
  return assigned;
}
