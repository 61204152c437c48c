// Nominations: anyone signed in says "this package needs help"; roadies triage them and draft a call.
// No call goes out in someone's name without their yes: the draft is proposed to the package's
// verified maintainers (emailed, and answered on /nominations/:id); a maintainer's accept publishes
// it in their name, a decline (with a reason) ends it and tells the nominator and the roadies. Where
// no maintainer can answer (none verified, or none answered within COMMUNITY_AFTER_MS), a
// working-group admin may publish it as a community nomination, posted in nobody's name.
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendBatch, sendEmail, type OutgoingEmail } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import {
  isVerifiedMaintainer,
  listMaintainerRecipients,
  verifiedRowSql,
} from "#app/models/packages/maintainers.server.ts";
import { listWorkingGroupAdmins } from "#app/models/people/roadies.server.ts";
import { createCall } from "#app/models/calls/calls.server.ts";
import type { CallFormValue } from "#app/models/calls/forms.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import { log } from "#app/utils/log.server.ts";
import type { NominationCallDraft, NominationStatus, User } from "#db/schema.ts";

export { nominationReasonLabels } from "#app/models/calls/nominations-forms.ts";
import type { nominationReasonLabels } from "#app/models/calls/nominations-forms.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export const nominateRule = { name: "nominate", limit: 10, windowMs: DAY_MS };

/** A proposal no verified maintainer answered for this long may go out as a community nomination. */
export const COMMUNITY_AFTER_MS = 14 * DAY_MS;

const n = schema.nominations;

/** Statuses a roadie still works on. */
const activeStatuses: NominationStatus[] = ["open", "contacted", "proposed"];

export async function createNomination(
  nominatorUserId: number,
  input: { packageName: string; reason: keyof typeof nominationReasonLabels; evidence: string[]; details: string },
  now = Date.now(),
) {
  const [row] = await db()
    .insert(n)
    .values({
      packageName: input.packageName,
      normalizedName: normalizePackageName(input.packageName),
      reason: input.reason,
      evidence: input.evidence,
      details: input.details,
      nominatorUserId,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: n.id });
  return row!.id;
}

export async function listNominations({ open = true }: { open?: boolean } = {}) {
  const rows = await db()
    .select({
      nomination: n,
      nominator: schema.users.login,
      packageId: schema.packages.id,
    })
    .from(n)
    .leftJoin(schema.users, eq(schema.users.id, n.nominatorUserId))
    .leftJoin(schema.packages, eq(schema.packages.normalizedName, n.normalizedName))
    .where(open ? inArray(n.status, activeStatuses) : inArray(n.status, ["published", "declined", "closed"]))
    .orderBy(open ? asc(n.createdAt) : desc(n.updatedAt))
    .limit(200)
    .all();
  const packageIds = rows.map((r) => r.packageId).filter((x): x is number => x !== null);
  const maintainers = packageIds.length
    ? await db()
        .select({ packageId: schema.packageMaintainers.packageId, login: schema.packageMaintainers.githubLogin })
        .from(schema.packageMaintainers)
        .where(and(inArray(schema.packageMaintainers.packageId, packageIds), verifiedRowSql))
        .all()
    : [];
  return rows.map((r) => ({
    ...r.nomination,
    nominator: r.nominator,
    packageId: r.packageId,
    maintainers: maintainers.filter((m) => m.packageId === r.packageId).map((m) => m.login),
  }));
}

export type NominationListItem = Awaited<ReturnType<typeof listNominations>>[number];

/**
 * One nomination as the lists show it (nominator, package, its verified maintainers), or null. The
 * row and the maintainers are asked side by side (the package named by a subquery): one round trip.
 */
export async function findNomination(id: number): Promise<NominationListItem | null> {
  const packageOf = db()
    .select({ id: schema.packages.id })
    .from(n)
    .innerJoin(schema.packages, eq(schema.packages.normalizedName, n.normalizedName))
    .where(eq(n.id, id));
  const [row, maintainers] = await Promise.all([
    db()
      .select({ nomination: n, nominator: schema.users.login, packageId: schema.packages.id })
      .from(n)
      .leftJoin(schema.users, eq(schema.users.id, n.nominatorUserId))
      .leftJoin(schema.packages, eq(schema.packages.normalizedName, n.normalizedName))
      .where(eq(n.id, id))
      .get(),
    db()
      .select({ login: schema.packageMaintainers.githubLogin })
      .from(schema.packageMaintainers)
      .where(and(inArray(schema.packageMaintainers.packageId, packageOf), verifiedRowSql))
      .all(),
  ]);
  if (!row) return null;
  return {
    ...row.nomination,
    nominator: row.nominator,
    packageId: row.packageId,
    maintainers: row.packageId === null ? [] : maintainers.map((m) => m.login),
  };
}

export function getNomination(id: number) {
  return db().select().from(n).where(eq(n.id, id)).get();
}

/**
 * May this nomination go out as a community nomination, in nobody's name? Only when no maintainer
 * can say yes or no: the package has no verified maintainer, or a proposal waited COMMUNITY_AFTER_MS
 * without an answer. A maintainer's decline is an answer: it stays declined.
 */
export function communityPublishAllowed(
  nomination: Pick<NominationListItem, "status" | "proposedAt" | "maintainers" | "packageId">,
  now = Date.now(),
): boolean {
  if (!activeStatuses.includes(nomination.status) || nomination.packageId === null) return false;
  if (nomination.maintainers.length === 0) return true;
  return (
    nomination.status === "proposed" &&
    nomination.proposedAt !== null &&
    now - nomination.proposedAt >= COMMUNITY_AFTER_MS
  );
}

function notice(
  to: { id: number; email: string | null },
  message: { subject: string; heading: string; paragraphs: string[]; action?: { href: string; label: string } },
  email: Pick<OutgoingEmail, "template" | "kind" | "idempotencyKey">,
  reason: string,
): OutgoingEmail | null {
  if (!to.email) return null;
  const { subject, react } = peopleNotice(message.subject, {
    appUrl: env().appUrl,
    heading: message.heading,
    paragraphs: message.paragraphs,
    action: message.action,
    reason,
  });
  return { to: to.email, subject, react, userId: to.id, ...email };
}

async function tellNominator(
  nominationId: number,
  heading: string,
  paragraph: string,
  action?: { href: string; label: string },
) {
  const row = await db()
    .select({ id: schema.users.id, email: deliveryAddress, packageName: n.packageName })
    .from(n)
    .innerJoin(schema.users, eq(schema.users.id, n.nominatorUserId))
    .where(eq(n.id, nominationId))
    .get();
  if (!row) return;
  const email = notice(
    row,
    {
      subject: `Your nomination of ${row.packageName}: ${heading.toLowerCase()}`,
      heading: `${row.packageName}: ${heading}`,
      paragraphs: [paragraph],
      action,
    },
    {
      template: "people-nomination-outcome",
      kind: "people-nomination-outcome",
      idempotencyKey: `nomination-outcome:${nominationId}`,
    },
    "You receive this because you nominated this package on Roadies. We write once, with the outcome.",
  );
  if (!email) return;
  const result = await sendEmail(email);
  if (!result.ok) log.warn("nomination outcome email failed", { nominationId, error: result.error });
}

export async function markContacted(actorUserId: number, id: number, now = Date.now()) {
  await db().batch([
    db()
      .update(n)
      .set({ status: "contacted", triagedByUserId: actorUserId, updatedAt: now })
      .where(and(eq(n.id, id), eq(n.status, "open"))),
    auditEntry({ actorUserId, action: "nomination.contacted", objectType: "nomination", objectId: id }, now),
  ]);
}

export async function closeNomination(actorUserId: number, id: number, reason: string, now = Date.now()) {
  const [closed] = await db().batch([
    db()
      .update(n)
      .set({ status: "closed", closeReason: reason, triagedByUserId: actorUserId, updatedAt: now })
      .where(and(eq(n.id, id), inArray(n.status, activeStatuses)))
      .returning({ id: n.id }),
    auditEntry({ actorUserId, action: "nomination.close", objectType: "nomination", objectId: id }, now),
  ] as const);
  if (closed.length) await tellNominator(id, "closed", `The roadies closed your nomination: ${reason}`);
  return closed.length > 0;
}

async function packageOf(nomination: { normalizedName: string }) {
  return db()
    .select({ id: schema.packages.id, name: schema.packages.name })
    .from(schema.packages)
    .where(eq(schema.packages.normalizedName, nomination.normalizedName))
    .get();
}

/** The draft as stored: no expiry date (the call's clock starts when it is published). */
function toDraft(call: CallFormValue): NominationCallDraft {
  return {
    kind: call.kind,
    title: call.title,
    description: call.description,
    hoursPerWeek: call.hoursPerWeek,
    djangoVersions: call.djangoVersions,
    urgency: call.urgency,
    skills: call.skills,
  };
}

export type ProposeResult =
  { ok: true; asked: number } | { ok: false; reason: "not-open" | "no-package" | "no-maintainer" };

/**
 * A roadie drafts the call and asks the package's verified maintainers for their yes. Nothing is
 * published: each maintainer is emailed once (a key per nomination and person) and answers on
 * /nominations/:id.
 */
export async function proposeToMaintainers(
  actorUserId: number,
  id: number,
  call: CallFormValue,
  now = Date.now(),
): Promise<ProposeResult> {
  const nomination = await getNomination(id);
  if (!nomination || !["open", "contacted"].includes(nomination.status)) return { ok: false, reason: "not-open" };
  const pkg = await packageOf(nomination);
  if (!pkg) return { ok: false, reason: "no-package" };
  const maintainers = await listMaintainerRecipients(pkg.id);
  if (maintainers.length === 0) return { ok: false, reason: "no-maintainer" };
  const [updated] = await db().batch([
    db()
      .update(n)
      .set({
        status: "proposed",
        proposedCall: toDraft(call),
        proposedByUserId: actorUserId,
        proposedAt: now,
        triagedByUserId: actorUserId,
        updatedAt: now,
      })
      .where(and(eq(n.id, id), inArray(n.status, ["open", "contacted"])))
      .returning({ id: n.id }),
    auditEntry(
      {
        actorUserId,
        action: "nomination.propose",
        objectType: "nomination",
        objectId: id,
        detail: { maintainerUserIds: maintainers.map((m) => m.id).join(",") },
      },
      now,
    ),
  ] as const);
  if (!updated.length) return { ok: false, reason: "not-open" };
  const url = `${env().appUrl}/nominations/${id}`;
  const emails = maintainers
    .map((m) =>
      notice(
        m,
        {
          subject: `${pkg.name} was nominated for a call for help: do you agree?`,
          heading: `Someone thinks ${pkg.name} needs help`,
          paragraphs: [
            `A Roadies member nominated ${pkg.name}, which you maintain, and the roadies drafted a call for help: "${call.title}".`,
            "Nothing is published unless you say yes. If you accept, the call is posted in your name; if you decline, tell us why and the nominator hears it.",
          ],
          action: { href: url, label: "Read the draft and answer" },
        },
        {
          template: "people-nomination-request",
          kind: "people-nomination-request",
          idempotencyKey: `nomination-request:${id}:${m.id}`,
        },
        "You receive this because you are a verified maintainer of this package on Roadies.",
      ),
    )
    .filter((e): e is OutgoingEmail => e !== null);
  if (emails.length) {
    const results = await sendBatch(emails);
    results.forEach((r) => {
      if (!r.ok) log.warn("nomination request email failed", { nominationId: id, error: r.error });
    });
  }
  return { ok: true, asked: maintainers.length };
}

/**
 * The nomination as a verified maintainer of its package sees it (to accept or decline), or null for
 * anyone else and for nominations never proposed: the route answers 404 alike.
 */
export async function nominationForMaintainer(id: number, viewer: Pick<User, "id">) {
  const nomination = await getNomination(id);
  if (!nomination || nomination.proposedCall === null) return null;
  const pkg = await packageOf(nomination);
  if (!pkg || !(await isVerifiedMaintainer(viewer.id, pkg.id))) return null;
  const answeredBy = nomination.answeredByUserId
    ? await db()
        .select({ login: schema.users.login })
        .from(schema.users)
        .where(eq(schema.users.id, nomination.answeredByUserId))
        .get()
    : undefined;
  return {
    id: nomination.id,
    packageName: pkg.name,
    packageSlug: nomination.normalizedName,
    reason: nomination.reason,
    evidence: nomination.evidence,
    details: nomination.details,
    status: nomination.status,
    draft: nomination.proposedCall,
    callId: nomination.callId,
    publishedAs: nomination.publishedAs,
    declineReason: nomination.declineReason,
    answeredBy: answeredBy?.login ?? null,
  };
}

export type AnswerResult =
  { ok: true; callId: number | null } | { ok: false; reason: "not-proposed" | "not-maintainer" };

/** Claims a proposed nomination for one answer: only the first answer (or community publication) wins. */
function claim(id: number, set: Partial<typeof n.$inferInsert>, now: number) {
  return db()
    .update(n)
    .set({ ...set, updatedAt: now })
    .where(and(eq(n.id, id), inArray(n.status, activeStatuses)))
    .returning({ id: n.id });
}

/** A verified maintainer says yes: the draft call is posted in their name, by them. */
export async function acceptNomination(
  maintainer: Pick<User, "id">,
  id: number,
  now = Date.now(),
): Promise<AnswerResult> {
  const nomination = await getNomination(id);
  if (!nomination || nomination.status !== "proposed" || !nomination.proposedCall)
    return { ok: false, reason: "not-proposed" };
  const pkg = await packageOf(nomination);
  if (!pkg || !(await isVerifiedMaintainer(maintainer.id, pkg.id))) return { ok: false, reason: "not-maintainer" };
  const [claimed] = await db().batch([
    claim(
      id,
      { status: "published", publishedAs: "maintainer", answeredByUserId: maintainer.id, answeredAt: now },
      now,
    ),
    auditEntry(
      { actorUserId: maintainer.id, action: "nomination.accept", objectType: "nomination", objectId: id },
      now,
    ),
  ] as const);
  if (!claimed.length) return { ok: false, reason: "not-proposed" };
  const callId = await createCall({ id: maintainer.id, isAdmin: false }, pkg.id, nomination.proposedCall, now);
  await db().update(n).set({ callId }).where(eq(n.id, id));
  await tellNominator(
    id,
    "a call is published",
    "A maintainer agreed and published a call for help. Thank you for speaking up.",
    { href: `${env().appUrl}/calls/${callId}`, label: "See the call" },
  );
  return { ok: true, callId };
}

/** A verified maintainer says no, with a reason: nothing is published; the nominator and roadies are told. */
export async function declineNomination(
  maintainer: Pick<User, "id">,
  id: number,
  reason: string,
  now = Date.now(),
): Promise<AnswerResult> {
  const nomination = await getNomination(id);
  if (!nomination || nomination.status !== "proposed") return { ok: false, reason: "not-proposed" };
  const pkg = await packageOf(nomination);
  if (!pkg || !(await isVerifiedMaintainer(maintainer.id, pkg.id))) return { ok: false, reason: "not-maintainer" };
  const [claimed] = await db().batch([
    claim(id, { status: "declined", declineReason: reason, answeredByUserId: maintainer.id, answeredAt: now }, now),
    auditEntry(
      {
        actorUserId: maintainer.id,
        action: "nomination.decline",
        objectType: "nomination",
        objectId: id,
        detail: { reason },
      },
      now,
    ),
  ] as const);
  if (!claimed.length) return { ok: false, reason: "not-proposed" };
  await tellNominator(id, "a maintainer declined", `A maintainer of ${pkg.name} declined the call for help: ${reason}`);
  // The roadie who drafted it and the working group's admins, once each.
  const roadie = nomination.proposedByUserId
    ? await db()
        .select({ userId: schema.users.id, email: deliveryAddress })
        .from(schema.users)
        .where(eq(schema.users.id, nomination.proposedByUserId))
        .get()
    : undefined;
  const recipients = new Map<number, string | null>();
  if (roadie) recipients.set(roadie.userId, roadie.email);
  for (const admin of await listWorkingGroupAdmins(now)) recipients.set(admin.userId, admin.email);
  const emails = [...recipients]
    .map(([userId, email]) =>
      notice(
        { id: userId, email },
        {
          subject: `Nomination of ${pkg.name} declined by its maintainer`,
          heading: `${pkg.name}: the maintainer declined`,
          paragraphs: [`A verified maintainer declined the drafted call for help. Their reason: ${reason}`],
          action: { href: `${env().appUrl}/admin/nominations/${id}`, label: "See the nomination" },
        },
        {
          template: "people-nomination-declined",
          kind: "people-nomination-outcome",
          idempotencyKey: `nomination-declined:${id}:${userId}`,
        },
        "You receive this because you triage nominations on Roadies.",
      ),
    )
    .filter((e): e is OutgoingEmail => e !== null);
  if (emails.length) await sendBatch(emails);
  return { ok: true, callId: null };
}

export type CommunityResult =
  | { ok: true; callId: number }
  | { ok: false; reason: "not-admin" | "not-open" | "no-package" | "maintainer-reachable" };

/**
 * A working-group admin publishes a nomination no maintainer can answer as a community nomination:
 * the call is labelled so everywhere and posted in nobody's name (no poster); the admin's part is in
 * the audit log.
 */
export async function publishAsCommunityNomination(
  actor: Pick<User, "id" | "isAdmin">,
  id: number,
  call: CallFormValue,
  now = Date.now(),
): Promise<CommunityResult> {
  if (!actor.isAdmin) return { ok: false, reason: "not-admin" };
  const nomination = (await listNominations({ open: true })).find((x) => x.id === id);
  if (!nomination) return { ok: false, reason: "not-open" };
  if (nomination.packageId === null) return { ok: false, reason: "no-package" };
  if (!communityPublishAllowed(nomination, now)) return { ok: false, reason: "maintainer-reachable" };
  const [claimed] = await db().batch([
    claim(id, { status: "published", publishedAs: "community", triagedByUserId: actor.id }, now),
    auditEntry(
      { actorUserId: actor.id, action: "nomination.publish-community", objectType: "nomination", objectId: id },
      now,
    ),
  ] as const);
  if (!claimed.length) return { ok: false, reason: "not-open" };
  const callId = await createCall(actor, nomination.packageId, { ...toDraft(call), expiresOn: undefined }, now);
  await db().batch([
    // In nobody's name: the admin posted it, but it is not theirs or any maintainer's.
    db()
      .update(schema.calls)
      .set({ postedByUserId: null, communityNomination: true })
      .where(eq(schema.calls.id, callId)),
    db().update(n).set({ callId }).where(eq(n.id, id)),
  ]);
  await tellNominator(
    id,
    "published as a community nomination",
    "No maintainer could answer, so the working group published your nomination as a community call for help, in nobody's name.",
    { href: `${env().appUrl}/calls/${callId}`, label: "See the call" },
  );
  return { ok: true, callId };
}
