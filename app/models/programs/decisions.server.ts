// Decisions on applications: recorded by organisers, previewed, then sent in one step. Each email
// carries a key naming the application and decision, so nothing is ever sent twice.
import { createHash } from "node:crypto";
import { and, asc, count, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { renderEmailText, sendBatch, type OutgoingEmail } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { applicantIdentity, reviewableBy } from "#app/models/programs/review.server.ts";
import { notificationWrites, type NotifyItem } from "#app/models/inbox/notifications.server.ts";
import { decisionLabels } from "#app/models/programs/labels.ts";
import { decisionEmail } from "#emails/programs-decision.tsx";
import type { Decision, Program } from "#db/schema.ts";

const a = schema.applications;

/**
 * Records the organisers' decision. Nothing reaches the applicant until decisions are sent, and a
 * decision already sent cannot change (the applicant has been told).
 */
export async function setDecision(
  programId: number,
  applicationId: number,
  decision: Decision | null,
  actorUserId: number,
  now = Date.now(),
) {
  const target = await db()
    .select()
    .from(a)
    .where(and(eq(a.id, applicationId), reviewableBy(programId, actorUserId)))
    .get();
  if (!target) throw notFound();
  if (target.decisionSentAt) return { ok: false as const, problem: "This decision was already sent to the applicant." };
  if (target.status === "withdrawn") return { ok: false as const, problem: "The applicant withdrew this application." };
  await db().batch([
    db()
      .update(a)
      .set({ decision, decidedByUserId: actorUserId, updatedAt: now })
      .where(and(eq(a.id, applicationId), isNull(a.decisionSentAt))),
    auditEntry(
      {
        actorUserId,
        action: "program.application.decide",
        objectType: "application",
        objectId: applicationId,
        detail: { decision },
      },
      now,
    ),
  ]);
  return { ok: true as const };
}

/**
 * Decisions made but not yet sent, i.e. what "Send decisions" would send now when `viewerId` presses
 * it. The viewer's own application is not among them: they learn their decision like any applicant.
 */
export async function pendingDecisions(programId: number, viewerId: number) {
  // The per-role counts are asked beside the decisions (one round trip).
  const [rows, received] = await Promise.all([
    db()
      .select({
        id: a.id,
        decision: a.decision,
        login: schema.users.login,
        name: schema.users.name,
        email: deliveryAddress,
        userId: a.userId,
        roleName: schema.programRoles.name,
        roleId: a.roleId,
        places: schema.programRoles.capacity,
      })
      .from(a)
      .innerJoin(schema.users, eq(schema.users.id, a.userId))
      .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
      .where(
        and(
          reviewableBy(programId, viewerId),
          eq(a.status, "submitted"),
          isNotNull(a.decision),
          isNull(a.decisionSentAt),
        ),
      )
      .orderBy(asc(a.id))
      .all(),
    applicationsPerRole(programId),
  ]);
  const items = rows.map(({ places, ...r }) => ({
    ...r,
    decision: r.decision!,
    competition: { applications: received.get(r.roleId) ?? 0, places },
  }));
  // The preview's fingerprint: sending requires the same set the organiser looked at.
  const fingerprint = createHash("sha256")
    .update(items.map((i) => `${i.id}:${i.decision}`).join(","))
    .digest("hex")
    .slice(0, 32);
  return { items, fingerprint };
}

/** How many submitted applications (withdrawn ones and drafts left out) each role of a programme received. */
async function applicationsPerRole(programId: number) {
  const rows = await db()
    .select({ roleId: a.roleId, n: count() })
    .from(a)
    .where(and(eq(a.programId, programId), eq(a.status, "submitted")))
    .groupBy(a.roleId)
    .all();
  return new Map(rows.map((r) => [r.roleId, r.n]));
}

/**
 * The organisers' preview of `pendingDecisions`: what will be sent, to whom, without addresses and
 * without scores (the preview shows decisions, never others' scores); under anonymised review the
 * applicants stay "Applicant 12" until their decision is sent.
 */
export async function previewDecisions(program: Program, viewerId: number) {
  const { items, fingerprint } = await pendingDecisions(program.id, viewerId);
  return {
    fingerprint,
    items: await Promise.all(
      items.map(async (i) => {
        const applicant = applicantIdentity(program, { id: i.id, decisionSentAt: null }, i);
        // The email exactly as it will go out, rendered from the same template; under anonymised
        // review it greets "Applicant 12" here (the sent email greets the person by name).
        const message = decisionMessage(program, {
          ...i,
          name: applicant.name,
          login: applicant.login ?? applicant.name,
        });
        return {
          id: i.id,
          applicant,
          roleName: i.roleName,
          decision: i.decision,
          hasEmail: Boolean(i.email),
          subject: message.subject,
          text: await renderEmailText(message.react),
        };
      }),
    ),
  };
}

export function decisionKey(applicationId: number, decision: Decision) {
  return `program-decision:${applicationId}:${decision}`;
}

/** [inbox] The applicant's notification of a decision sent (the email says the rest). */
export function decisionNotice(
  program: Pick<Program, "name">,
  item: { id: number; userId: number; decision: Decision },
  fromWaitlist = false,
): NotifyItem {
  return {
    userId: item.userId,
    kind: "decision-sent",
    title: fromWaitlist
      ? `A place opened up in ${program.name}: you are offered it`
      : `Your application to ${program.name}: ${decisionLabels[item.decision].toLowerCase()}`,
    href: "/me/applications",
    key: `decision-sent:${item.id}:${item.decision}`,
  };
}

export function decisionMessage(
  program: Program,
  item: {
    name: string | null;
    login: string;
    roleName: string;
    decision: Decision;
    competition?: { applications: number; places: number };
  },
  fromWaitlist = false,
) {
  const base = env().appUrl;
  return decisionEmail({
    name: item.name ?? item.login,
    programName: program.name,
    roleName: item.roleName,
    decision: item.decision,
    fromWaitlist,
    ...(item.competition ? { competition: item.competition } : {}),
    url: `${base}/me/applications`,
    appUrl: base,
  });
}

/**
 * Sends every pending decision email, once. Each email carries a key naming the application and
 * decision, so a second press, a retry or a rerun after a crash finds the delivery already recorded
 * and sends nothing again; `decision_sent_at` (set only for emails that went out) is the applicant-
 * visible record, and a run row records who pressed the button.
 */
export async function sendDecisions(program: Program, actorUserId: number, fingerprint: string, now = Date.now()) {
  const { items, fingerprint: current } = await pendingDecisions(program.id, actorUserId);
  if (items.length === 0) return { ok: true as const, sent: 0, failed: 0 };
  if (fingerprint !== current)
    return {
      ok: false as const,
      problem: "The decisions changed since you previewed them. Check the new preview and send again.",
    };
  const [run] = await db()
    .insert(schema.programDecisionRuns)
    .values({ programId: program.id, sentByUserId: actorUserId, applicationCount: items.length, startedAt: now })
    .returning();
  const withAddress = items.filter((i) => i.email);
  const emails: OutgoingEmail[] = withAddress.map((item) => ({
    to: item.email!,
    ...decisionMessage(program, item),
    template: "programs-decision",
    kind: "programs-decision",
    idempotencyKey: decisionKey(item.id, item.decision),
    userId: item.userId,
  }));
  const results = await sendBatch(emails);
  // People without an address still learn the decision on their applications page.
  const sentIds = [
    ...withAddress.filter((_, i) => results[i]?.ok).map((i) => i.id),
    ...items.filter((i) => !i.email).map((i) => i.id),
  ];
  if (sentIds.length)
    await db().batch([
      db()
        .update(a)
        .set({ decisionSentAt: now, updatedAt: now })
        .where(and(inArray(a.id, sentIds), isNull(a.decisionSentAt))),
      ...notificationWrites(
        items.filter((i) => sentIds.includes(i.id)).map((i) => decisionNotice(program, i)),
        now,
      ),
      db()
        .update(schema.programDecisionRuns)
        .set({ finishedAt: Date.now() })
        .where(eq(schema.programDecisionRuns.id, run!.id)),
      auditEntry(
        {
          actorUserId,
          action: "program.decisions.send",
          objectType: "program",
          objectId: program.id,
          detail: { sent: sentIds.length, run: run!.id },
        },
        now,
      ),
    ]);
  return { ok: true as const, sent: sentIds.length, failed: items.length - sentIds.length };
}
