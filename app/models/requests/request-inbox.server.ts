// [inbox] Special requests in the assigned expert's inbox: the assignment, and a reminder when its
// acknowledgement deadline approaches. A confidential request's notification says only that there
// is one, with the link: its title and package stay behind findVisibleRequest.
import { and, eq, gt, isNotNull, isNull, lte } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { notify, type NotifyItem } from "#app/models/inbox/notifications.server.ts";
import { kindLabels } from "#app/models/requests/forms.ts";
import type { SpecialRequest } from "#db/schema.ts";

const r = schema.specialRequests;
const a = schema.requestAssignments;

/** How long before the acknowledgement deadline the expert is reminded (at most half the span). */
export const ACK_REMINDER_MS = 2 * DAY_MS;

type Described = Pick<SpecialRequest, "id" | "kind" | "title" | "confidential" | "packageId">;

async function packageName(packageId: number) {
  const row = await db()
    .select({ name: schema.packages.name })
    .from(schema.packages)
    .where(eq(schema.packages.id, packageId))
    .get();
  return row?.name ?? "a package";
}

/** The notification of an assignment (for routing's own batch, so it commits with it). */
export async function assignmentNotice(request: Described, userId: number, now: number): Promise<NotifyItem> {
  const title = request.confidential
    ? "A confidential request was assigned to you"
    : `${kindLabels[request.kind]} request for ${await packageName(request.packageId)} assigned to you: “${request.title}”`;
  return {
    userId,
    kind: "request-assigned",
    title,
    href: `/requests/${request.id}`,
    key: `request-assigned:${request.id}:${userId}:${now}`,
  };
}

/**
 * Reminds each assignee whose acknowledgement is due within ACK_REMINDER_MS (or within half the
 * time they were given, when that is shorter). Once per assignment and deadline; run by the
 * hourly sweeper.
 */
export async function remindAcknowledgements(now = Date.now()): Promise<number> {
  const due = await db()
    .select({
      id: r.id,
      kind: r.kind,
      title: r.title,
      confidential: r.confidential,
      packageId: r.packageId,
      assigneeUserId: r.assigneeUserId,
      ackDueAt: r.ackDueAt,
      assignedAt: a.assignedAt,
    })
    .from(r)
    .innerJoin(a, and(eq(a.requestId, r.id), eq(a.userId, r.assigneeUserId), isNull(a.endedAt)))
    .where(
      and(eq(r.state, "new"), isNotNull(r.assigneeUserId), gt(r.ackDueAt, now), lte(r.ackDueAt, now + ACK_REMINDER_MS)),
    )
    .all();
  const items: NotifyItem[] = [];
  for (const req of due) {
    if (!req.assigneeUserId || !req.ackDueAt) continue;
    if (req.ackDueAt - now > (req.ackDueAt - req.assignedAt) / 2) continue;
    const title = req.confidential
      ? "A confidential request assigned to you waits for your acknowledgement"
      : `Acknowledge “${req.title}” (${await packageName(req.packageId)}) before its deadline`;
    items.push({
      userId: req.assigneeUserId,
      kind: "deadline-approaching",
      title,
      href: `/requests/${req.id}`,
      key: `request-ack-due:${req.id}:${req.assigneeUserId}:${req.ackDueAt}`,
    });
  }
  await notify(items, now);
  return items.length;
}
