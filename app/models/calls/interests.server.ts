// Interests in a call: a volunteer offers help, the maintainers hear of it by email, accept or
// decline it, and the volunteer sees the answer on /me/interests.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { db, prepared, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { hiddenSql } from "#app/models/moderation/hides.server.ts";
import { notSuspendedSql } from "#app/models/people/suspension.server.ts";
import { isVerifiedMaintainer, listMaintainerRecipients } from "#app/models/packages/maintainers.server.ts";
import { eventRow, type Actor, type CallDetail } from "#app/models/calls/calls.server.ts";
import { notify } from "#app/models/inbox/notifications.server.ts";
import { openThread } from "#app/models/conversations/messages.server.ts";
import { makeThreadWrite, memberThreadIdSql } from "#app/models/conversations/threads.server.ts";
import { notifyTransferSteps, transferOfCall } from "#app/models/requests/transfer-inbox.server.ts";
import { callInterestEmail } from "#emails/calls-interest.tsx";
import { interestDecisionEmail } from "#emails/calls-interest-decision.tsx";
import type { User } from "#db/schema.ts";

export const interestRule = { name: "call-interest", limit: 20, windowMs: DAY_MS };

export type InterestProblem = "own_package" | "not_open" | "already";

export const interestProblemMessages: Record<InterestProblem, string> = {
  own_package: "You maintain this package, so you cannot answer its call.",
  not_open: "This call is no longer taking new interest.",
  already: "You have already expressed interest in this call.",
};

// Built once (db.server.ts `prepared`): the call page asks it on every signed-in request.
const myInterest = prepared((d) => {
  const i = schema.callInterests;
  return d
    .select()
    .from(i)
    .where(and(eq(i.callId, sql.placeholder("callId")), eq(i.userId, sql.placeholder("userId"))))
    .prepare();
});

export function getMyInterest(callId: number, userId: number) {
  return myInterest().get({ callId, userId });
}

export async function expressInterest(
  user: Pick<User, "id" | "login" | "name" | "email">,
  call: CallDetail,
  input: { message: string; shareEmail: boolean },
  now = Date.now(),
): Promise<{ ok: true; interestId: number } | { ok: false; problem: InterestProblem }> {
  if (await isVerifiedMaintainer(user.id, call.packageId)) return { ok: false, problem: "own_package" };
  if (!(call.status === "open" || call.status === "in_conversation") || call.hidden)
    return { ok: false, problem: "not_open" };
  const i = schema.callInterests;
  const existing = await getMyInterest(call.id, user.id);
  if (existing && existing.status !== "withdrawn") return { ok: false, problem: "already" };
  const shareEmail = input.shareEmail && Boolean(user.email);
  let interestId: number;
  if (existing) {
    // Coming back after withdrawing: the same row, fresh again.
    await db()
      .update(i)
      .set({
        message: input.message,
        shareEmail,
        status: "pending",
        decisionMessage: null,
        decidedAt: null,
        decidedByUserId: null,
        updatedAt: now,
      })
      .where(and(eq(i.id, existing.id), eq(i.status, "withdrawn")));
    interestId = existing.id;
  } else {
    const [row] = await db()
      .insert(i)
      .values({ callId: call.id, userId: user.id, message: input.message, shareEmail, createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: i.id });
    if (!row) return { ok: false, problem: "already" };
    interestId = row.id;
  }
  // [inbox] each verified maintainer of the package; a re-expressed interest is new news (the time).
  const maintainers = await listMaintainerRecipients(call.packageId);
  await notify(
    maintainers.map((m) => ({
      userId: m.id,
      kind: "interest-new" as const,
      title: `@${user.login} offered to help on “${call.title}” (${call.packageName})`,
      href: `/calls/${call.id}/manage`,
      key: `interest-new:${interestId}:${now}`,
    })),
    now,
  );
  void notifyMaintainersOfInterest(call, user, interestId, input.message, shareEmail, now).catch((error: unknown) =>
    log.error("interest email failed", { callId: call.id, interestId, ...errorFields(error) }),
  );
  return { ok: true, interestId };
}

async function notifyMaintainersOfInterest(
  call: CallDetail,
  volunteer: Pick<User, "id" | "login" | "name" | "email">,
  interestId: number,
  message: string,
  shareEmail: boolean,
  now: number,
) {
  const appUrl = env().appUrl;
  const recipients = await listMaintainerRecipients(call.packageId);
  const sharedEmail = shareEmail ? volunteer.email : null;
  for (const m of recipients) {
    if (!m.email) continue;
    const { subject, react } = callInterestEmail({
      appUrl,
      callId: call.id,
      callTitle: call.title,
      packageName: call.packageName,
      volunteerLogin: volunteer.login,
      volunteerName: volunteer.name,
      message,
      sharedEmail,
    });
    await sendEmail({
      to: m.email,
      subject,
      react,
      template: "calls-interest",
      kind: "calls-interest",
      // A re-expressed interest (after withdrawing) is new news: the time keeps the key unique.
      idempotencyKey: `call-interest:${interestId}:${now}:${m.id}`,
      userId: m.id,
      ...(sharedEmail ? { headers: { "Reply-To": sharedEmail } } : {}),
    });
  }
}

export async function withdrawInterest(userId: number, callId: number, now = Date.now()) {
  const i = schema.callInterests;
  const result = await db()
    .update(i)
    .set({ status: "withdrawn", updatedAt: now })
    .where(and(eq(i.callId, callId), eq(i.userId, userId), inArray(i.status, ["pending", "accepted"])))
    .returning({ id: i.id });
  return result.length > 0;
}

export function listInterests(callId: number) {
  const i = schema.callInterests;
  const u = schema.users;
  return (
    db()
      .select({
        id: i.id,
        userId: i.userId,
        login: u.login,
        name: u.name,
        // The address only when the volunteer chose to share it.
        email: sql<string | null>`CASE WHEN ${i.shareEmail} THEN ${u.email} ELSE NULL END`,
        message: i.message,
        status: i.status,
        decisionMessage: i.decisionMessage,
        createdAt: i.createdAt,
      })
      .from(i)
      .innerJoin(u, eq(u.id, i.userId))
      // Interests the working group hid (spam, abuse) are not shown to the maintainers.
      .where(and(eq(i.callId, callId), sql`NOT ${hiddenSql("interest", i.id)}`, notSuspendedSql(i.userId)))
      .orderBy(asc(i.createdAt))
      .all()
  );
}

export async function decideInterest(
  actor: Actor,
  call: CallDetail,
  interestId: number,
  decision: "accepted" | "declined",
  message: string | null,
  now = Date.now(),
): Promise<boolean> {
  const i = schema.callInterests;
  const interest = await db()
    .select({ id: i.id, userId: i.userId, status: i.status })
    .from(i)
    .where(and(eq(i.id, interestId), eq(i.callId, call.id)))
    .get();
  if (!interest || interest.status !== "pending") return false;
  const moveToConversation = decision === "accepted" && call.status === "open";
  await db().batch([
    db()
      .update(i)
      .set({
        status: decision,
        // An acceptance's note is the first message of the conversation it opens, not a decision note.
        decisionMessage: decision === "declined" ? message : null,
        decidedAt: now,
        decidedByUserId: actor.id,
        updatedAt: now,
      })
      .where(and(eq(i.id, interest.id), eq(i.status, "pending"))),
    eventRow(
      call.id,
      actor.id,
      decision === "accepted" ? "interest_accepted" : "interest_declined",
      null,
      null,
      null,
      now,
    ),
    ...(moveToConversation
      ? [
          db()
            .update(schema.calls)
            .set({ status: "in_conversation", updatedAt: now })
            .where(eq(schema.calls.id, call.id)),
          eventRow(call.id, actor.id, "status_changed", "open", "in_conversation", null, now),
        ]
      : []),
    // Accepting begins the conversation between the maintainers and the volunteer, and (a trigger
    // starts a handover when the call asks for a new maintainer) the handover's.
    ...(decision === "accepted"
      ? [
          makeThreadWrite("interest", interest.id, now),
          makeThreadWrite("transfer", sql`(SELECT id FROM transfers WHERE call_id = ${call.id})`, now),
        ]
      : []),
  ]);
  // The acceptance's note is the conversation's first message.
  const threadPath =
    decision === "accepted"
      ? await openThread("interest", interest.id, message ? { authorId: actor.id, body: message } : null, now)
      : null;
  // [inbox] the volunteer hears of the answer in their inbox too; an acceptance leads to the conversation.
  const threadId = threadPath ? Number(threadPath.split("/").pop()) : null;
  await notify(
    [
      {
        userId: interest.userId,
        kind: decision === "accepted" ? "interest-accepted" : "interest-declined",
        title: `Your offer of help on “${call.title}” (${call.packageName}) was ${decision}`,
        href: threadPath ?? "/me/interests",
        threadId,
        key: `interest-${decision}:${interest.id}:${now}`,
      },
    ],
    now,
  );
  // An accepted successor starts a handover checklist (a trigger makes it): its parties have steps.
  const transferId = decision === "accepted" ? await transferOfCall(call.id) : null;
  if (transferId) await notifyTransferSteps(transferId, now);
  const volunteer = await db()
    .select({ id: schema.users.id, login: schema.users.login, email: deliveryAddress })
    .from(schema.users)
    .where(eq(schema.users.id, interest.userId))
    .get();
  if (volunteer?.email) {
    const maintainers = (await listMaintainerRecipients(call.packageId)).map((m) => m.login);
    const { subject, react } = interestDecisionEmail({
      appUrl: env().appUrl,
      decision,
      callId: call.id,
      callTitle: call.title,
      packageName: call.packageName,
      volunteerLogin: volunteer.login,
      message,
      maintainers,
      threadPath,
    });
    await sendEmail({
      to: volunteer.email,
      subject,
      react,
      template: `calls-interest-${decision}`,
      kind: "calls-interest-decision",
      idempotencyKey: `call-interest-${decision}:${interest.id}:${now}`,
      userId: volunteer.id,
    }).catch((error: unknown) => log.error("decision email failed", { interestId, ...errorFields(error) }));
  }
  return true;
}

/**
 * A person's own interests with their states, for /me/interests, built once (db.server.ts
 * `prepared`): with each, its conversation's id when the person is in it (an accepted interest, or
 * one withdrawn after it was accepted, whose thread exists).
 */
const myInterests = prepared((d) => {
  const i = schema.callInterests;
  const c = schema.calls;
  return d
    .select({
      id: i.id,
      callId: c.id,
      callTitle: c.title,
      callStatus: c.status,
      packageName: schema.packages.name,
      status: i.status,
      decisionMessage: i.decisionMessage,
      createdAt: i.createdAt,
      threadId: memberThreadIdSql("interest", i.id, sql`${sql.placeholder("userId")}`, sql`${sql.placeholder("now")}`),
    })
    .from(i)
    .innerJoin(c, eq(c.id, i.callId))
    .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
    .where(eq(i.userId, sql.placeholder("userId")))
    .orderBy(desc(i.updatedAt))
    .prepare();
});

export function listMyInterests(userId: number, now = Date.now()) {
  return myInterests().all({ userId, now });
}
