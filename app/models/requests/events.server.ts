// What happens to a special request after filing: changes of state (who may do which) and
// comments, each one row of its timeline.
import { and, eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { makeThreadWrite } from "#app/models/conversations/threads.server.ts";
import { withoutText, type Access, type SpecialRequest } from "#app/models/requests/requests.server.ts";
import { emailCommentRecipients } from "#app/models/requests/emails.server.ts";
import { requestActions, type RequestAction, type RequestState } from "#app/models/requests/forms.ts";

const r = schema.specialRequests;
const ev = schema.requestEvents;

const transitions: Record<RequestAction, { from: RequestState[]; to: RequestState; who: (x: Access) => boolean }> = {
  acknowledge: { from: ["new"], to: "acknowledged", who: (x) => x.assignee },
  start: { from: ["acknowledged"], to: "in_progress", who: (x) => x.assignee || x.admin },
  resolve: { from: ["acknowledged", "in_progress"], to: "resolved", who: (x) => x.assignee || x.maintainer || x.admin },
  close: {
    from: ["new", "acknowledged", "in_progress", "resolved"],
    to: "closed",
    who: (x) => x.maintainer || x.admin,
  },
  reopen: { from: ["resolved", "closed"], to: "in_progress", who: (x) => x.maintainer || x.admin },
};

/** The actions this person can take on the request now. */
export function availableActions(request: SpecialRequest, access: Access): RequestAction[] {
  return requestActions.filter((name) => {
    const t = transitions[name];
    if (!t.from.includes(request.state) || !t.who(access)) return false;
    // Reopening a request nobody ever acknowledged would skip the deadline: file it again instead.
    return name !== "reopen" || request.acknowledgedAt !== null;
  });
}

export async function changeState(
  request: SpecialRequest,
  access: Access,
  action: RequestAction,
  actorUserId: number,
  now = Date.now(),
): Promise<boolean> {
  if (!availableActions(request, access).includes(action)) return false;
  const t = transitions[action];
  const updated = await db()
    .update(r)
    .set({
      state: t.to,
      updatedAt: now,
      ...(action === "acknowledge" ? { acknowledgedAt: now, ackDueAt: null } : {}),
      ...(action === "close" ? { ackDueAt: null } : {}),
    })
    .where(and(eq(r.id, request.id), eq(r.state, request.state)))
    .returning({ id: r.id });
  if (!updated.length) return false;
  await db().batch([
    db().insert(ev).values({
      requestId: request.id,
      type: "state",
      actorUserId,
      fromState: request.state,
      toState: t.to,
      createdAt: now,
    }),
    auditEntry({ actorUserId, action: `request.${action}`, objectType: "special_request", objectId: request.id }, now),
    // Reopening begins the conversation again; one closed before conversations were made with their
    // requests has none yet.
    ...(action === "reopen" ? [makeThreadWrite("request", request.id, now)] : []),
  ]);
  log.info("special request state changed", { requestId: request.id, userId: actorUserId, to: t.to });
  return true;
}

export async function addComment(
  request: SpecialRequest,
  access: Access,
  authorUserId: number,
  body: string,
  now = Date.now(),
) {
  if (!access.participant) return null;
  const [row] = await withoutText(`commenting on special request ${request.id}`, () =>
    db()
      .insert(ev)
      .values({ requestId: request.id, type: "comment", actorUserId: authorUserId, body, createdAt: now })
      .returning({ id: ev.id }),
  );
  await db().update(r).set({ updatedAt: now }).where(eq(r.id, request.id));
  log.info("special request comment", { requestId: request.id, eventId: row!.id, userId: authorUserId });
  await emailCommentRecipients(request, authorUserId, row!.id);
  return row!.id;
}
