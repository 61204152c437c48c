// The emails of special requests: to the assignee, to the admins when nobody answers, to the
// participants on a comment. Confidential ones say only that there is something to look at: the
// details stay on the site, behind findVisibleRequest.
import { and, desc, eq, isNotNull, ne, or } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { listWorkingGroupAdmins } from "#app/models/people/roadies.server.ts";
import { verifiedMaintainerSql } from "#app/models/packages/maintainers.server.ts";
import { requestNotice } from "#emails/requests-notice.tsx";
import type { SpecialRequest } from "#db/schema.ts";
import { kindLabels } from "#app/models/requests/forms.ts";

const r = schema.specialRequests;
const a = schema.requestAssignments;
const u = schema.users;

function requestUrl(id: number) {
  return `${env().appUrl}/requests/${id}`;
}

type EmailRequest = Pick<SpecialRequest, "id" | "kind" | "title" | "confidential"> & { packageName: string };

async function loadEmailRequest(id: number): Promise<EmailRequest | undefined> {
  return db()
    .select({ id: r.id, kind: r.kind, title: r.title, confidential: r.confidential, packageName: schema.packages.name })
    .from(r)
    .innerJoin(schema.packages, eq(schema.packages.id, r.packageId))
    .where(eq(r.id, id))
    .get();
}

function assignedEmail(
  req: EmailRequest,
  to: { id: number; email: string },
  dueAt: number,
  key: string,
): OutgoingEmail {
  const action = { href: requestUrl(req.id), label: "Open the request" };
  const reason =
    "You receive this because you are in one of the Roadies expert pools. Pause your availability on the pools page.";
  const props = req.confidential
    ? {
        appUrl: env().appUrl,
        heading: "A confidential request is waiting for you",
        paragraphs: [
          "You have been assigned a new confidential request on Roadies. Its details are shown only on the site, to the people allowed to see them.",
          "Please open it and acknowledge it before its deadline, or it will go to someone else.",
        ],
        action,
        reason,
      }
    : {
        appUrl: env().appUrl,
        heading: `${kindLabels[req.kind]} request for ${req.packageName}`,
        paragraphs: [
          `You have been assigned “${req.title}”, a ${kindLabels[req.kind].toLowerCase()} request for ${req.packageName}.`,
          `Please acknowledge it by ${new Date(dueAt).toUTCString()}, or it will go to someone else.`,
        ],
        action,
        reason,
      };
  const subject = req.confidential
    ? "New confidential request on Roadies"
    : `New ${kindLabels[req.kind].toLowerCase()} request: ${req.packageName}`;
  return {
    to: to.email,
    userId: to.id,
    template: "requests-assigned",
    kind: "requests-assigned",
    idempotencyKey: key,
    ...requestNotice(subject, props),
  };
}

export async function emailAssignee(requestId: number, assigneeUserId: number, now: number) {
  const req = await loadEmailRequest(requestId);
  const person = await db().select({ id: u.id, email: deliveryAddress }).from(u).where(eq(u.id, assigneeUserId)).get();
  const row = await db().select({ ackDueAt: r.ackDueAt }).from(r).where(eq(r.id, requestId)).get();
  if (!req || !person?.email) return;
  const assignment = await db()
    .select({ id: a.id })
    .from(a)
    .where(and(eq(a.requestId, requestId), eq(a.userId, assigneeUserId)))
    .orderBy(desc(a.id))
    .get();
  await sendBatch([
    assignedEmail(
      req,
      { id: person.id, email: person.email },
      row?.ackDueAt ?? now,
      `requests:assigned:${requestId}:${assignment?.id ?? 0}`,
    ),
  ]);
}

export async function emailAdmins(requestId: number, key: string, what: "expired" | "nobody") {
  const req = await loadEmailRequest(requestId);
  if (!req) return;
  const admins = (await listWorkingGroupAdmins()).filter((x) => x.email);
  const subject =
    what === "expired" ? `Request #${req.id} was not acknowledged in time` : `Request #${req.id} has no expert`;
  const described = req.confidential
    ? `Confidential request #${req.id}`
    : `Request #${req.id} (“${req.title}”, ${req.packageName})`;
  const paragraphs =
    what === "expired"
      ? [
          `${described} was not acknowledged by its deadline, so it has been passed to the next member of the ${kindLabels[req.kind].toLowerCase()} pool.`,
        ]
      : [
          `${described} could not be assigned: nobody in the ${kindLabels[req.kind].toLowerCase()} pool is available. Please find someone or add members.`,
        ];
  await sendBatch(
    admins.map((admin) => ({
      to: admin.email!,
      userId: admin.userId,
      template: "requests-admins",
      kind: "requests-admins",
      idempotencyKey: `${key}:${admin.userId}`,
      ...requestNotice(subject, {
        appUrl: env().appUrl,
        heading: subject,
        paragraphs,
        action: { href: requestUrl(req.id), label: "Open the request" },
        reason: "You receive this because you are a working-group admin on Roadies.",
      }),
    })),
  );
}

/** The maintainers and the current assignee hear about a comment, except its author. */
export async function emailCommentRecipients(request: SpecialRequest, authorUserId: number, eventId: number) {
  const req = await loadEmailRequest(request.id);
  if (!req) return;
  const recipients = await db()
    .select({ id: u.id, email: deliveryAddress })
    .from(u)
    .where(
      and(
        ne(u.id, authorUserId),
        isNotNull(deliveryAddress),
        or(
          request.assigneeUserId ? eq(u.id, request.assigneeUserId) : undefined,
          verifiedMaintainerSql(u.id, request.packageId),
        ),
      ),
    )
    .all();
  const subject = req.confidential ? "New activity on a confidential request" : `New comment on “${req.title}”`;
  const paragraphs = req.confidential
    ? ["Someone commented on a confidential request you are part of. The comment is shown only on the site."]
    : [
        `There is a new comment on ${kindLabels[req.kind].toLowerCase()} request “${req.title}” for ${req.packageName}.`,
      ];
  await sendBatch(
    recipients.map((p) => ({
      to: p.email!,
      userId: p.id,
      template: "requests-comment",
      kind: "requests-comment",
      idempotencyKey: `requests:comment:${eventId}:${p.id}`,
      ...requestNotice(subject, {
        appUrl: env().appUrl,
        heading: subject,
        paragraphs,
        action: { href: requestUrl(req.id), label: "Read the comment" },
        reason: "You receive this because you maintain this package or are assigned to this request.",
      }),
    })),
  );
}
