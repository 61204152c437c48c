// Terms: a stint lasts six months; renewing by a signed link in the reminder email, stepping down,
// and the daily job that reminds, marks ended terms as lapsed and settles the votes lapses decide.
import { and, eq, gt, lte, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { countEffectiveAdmins, endOfRoleWrite, isEffectiveAdmin } from "#app/models/people/powers.server.ts";
import {
  RENEWAL_REMINDER_DAYS,
  RENEW_TOKEN_PURPOSE,
  TERM_MONTHS,
  activeIn,
  addMonths,
} from "#app/models/people/roadies.server.ts";
import { settleOpenProposals } from "#app/models/people/votes.server.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import type { TrustRole } from "#db/schema.ts";
import { DAY_MS, formatDate } from "#app/utils/dates.ts";

const m = schema.memberships;
const u = schema.users;

export function renewalToken(membershipId: number, termEndsAt: number) {
  // The term's end is part of the subject: once renewed, the same link cannot renew again.
  return createSignedToken({
    purpose: RENEW_TOKEN_PURPOSE,
    subject: `${membershipId}:${termEndsAt}`,
    expiresAt: termEndsAt,
  });
}

export async function describeRenewal(token: string, now = Date.now()) {
  const subject = verifySignedToken(token, RENEW_TOKEN_PURPOSE, now);
  if (!subject) return null;
  const [id, end] = subject.split(":").map(Number);
  const row = await db()
    .select({ membership: m, login: u.login, name: u.name })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(eq(m.id, id!))
    .get();
  if (!row) return null;
  const renewed = row.membership.termEndsAt !== end;
  return { ...row, renewed, usable: !renewed && row.membership.status === "active" && row.membership.termEndsAt > now };
}

/** Extends the term named by the token by 6 months from its current end. Once per token. */
export async function renewWithToken(token: string, now = Date.now()) {
  const info = await describeRenewal(token, now);
  if (!info || !info.usable) return { ok: false as const };
  const ms = info.membership;
  const newEnd = addMonths(ms.termEndsAt, TERM_MONTHS);
  const [updated] = await db().batch([
    db()
      .update(m)
      .set({ termEndsAt: newEnd, terms: ms.terms + 1 })
      .where(and(eq(m.id, ms.id), eq(m.termEndsAt, ms.termEndsAt), eq(m.status, "active")))
      .returning({ id: m.id }),
    auditEntry(
      {
        actorUserId: ms.userId,
        action: "term.renew",
        objectType: "membership",
        objectId: ms.id,
        detail: { role: ms.role, termEndsAt: newEnd },
      },
      now,
    ),
  ] as const);
  return updated.length ? { ok: true as const, termEndsAt: newEnd, role: ms.role } : { ok: false as const };
}

/**
 * Ends the person's active stint in `role` now, without a vote. The last admin cannot step down
 * from the working group (it would end their admin rights and leave nobody to grant them).
 */
export async function stepDown(
  userId: number,
  role: TrustRole,
  now = Date.now(),
): Promise<{ ok: true; ended: boolean } | { ok: false; reason: "last-admin" }> {
  if (role === "working_group" && (await isEffectiveAdmin(userId, now)) && (await countEffectiveAdmins(now)) <= 1)
    return { ok: false, reason: "last-admin" };
  const [ended] = await db().batch([
    db()
      .update(m)
      .set({ status: "stepped_down", endedAt: now })
      .where(and(eq(m.userId, userId), activeIn(role, now)))
      .returning({ id: m.id }),
    endOfRoleWrite(role, sql`${userId}`, now),
    auditEntry(
      { actorUserId: userId, action: "term.step_down", objectType: "user", objectId: userId, detail: { role } },
      now,
    ),
  ] as const);
  if (ended.length) await settleOpenProposals(now);
  return { ok: true, ended: ended.length > 0 };
}

const roleWords: Record<TrustRole, string> = { roadie: "roadie", working_group: "working-group member" };

/**
 * The daily terms job: reminds people 14 and 3 days before their term ends (each reminder once,
 * by idempotency key), marks ended terms as lapsed, and settles votes the lapses decided.
 */
export async function runTermsJob(now = Date.now()) {
  const appUrl = env().appUrl;
  const soon = await db()
    .select({ membership: m, email: deliveryAddress, login: u.login, name: u.name })
    .from(m)
    .innerJoin(u, eq(u.id, m.userId))
    .where(
      and(eq(m.status, "active"), gt(m.termEndsAt, now), lte(m.termEndsAt, now + RENEWAL_REMINDER_DAYS[0] * DAY_MS)),
    )
    .all();
  let reminded = 0;
  for (const row of soon) {
    if (!row.email) continue;
    const ms = row.membership;
    const daysLeft = (ms.termEndsAt - now) / DAY_MS;
    const stage = daysLeft <= RENEWAL_REMINDER_DAYS[1] ? RENEWAL_REMINDER_DAYS[1] : RENEWAL_REMINDER_DAYS[0];
    const role = roleWords[ms.role];
    const endDate = formatDate(ms.termEndsAt);
    const { subject, react } = peopleNotice(`Your ${role} term ends in ${stage} days`, {
      appUrl,
      heading: `Your ${role} term ends on ${endDate}`,
      paragraphs: [
        `Thank you for serving as a ${role}. Your current term ends on ${endDate}. If you would like to stay on for another six months, one click is enough: no sign-in needed.`,
        "If you do nothing, your term simply ends: your history stays on Roadies and you can apply again whenever you like.",
      ],
      action: {
        href: `${appUrl}/terms/renew?token=${encodeURIComponent(renewalToken(ms.id, ms.termEndsAt))}`,
        label: "Stay on for another term",
      },
      reason: `You receive this because you are a ${role} on Roadies. We send two reminders per term, 14 and 3 days before it ends.`,
    });
    const result = await sendEmail({
      to: row.email,
      subject,
      react,
      template: "people-term-renewal",
      kind: "people-term-renewal",
      idempotencyKey: `term-renewal:${ms.id}:${ms.termEndsAt}:${stage}`,
      userId: ms.userId,
    });
    if (result.ok && !("skipped" in result && result.skipped)) reminded++;
    if (!result.ok) log.warn("term renewal email failed", { membershipId: ms.id, error: result.error });
  }
  // Who lapses now, per role; the powers behind those roles end in the same write.
  const lapsing = (role: TrustRole) =>
    sql`SELECT user_id FROM memberships WHERE role = ${role} AND status = 'active' AND term_ends_at <= ${now}`;
  const [, , lapsed] = await db().batch([
    // Guarded by "no longer holds the role" at `now`, which a lapsing term already does not.
    endOfRoleWrite("working_group", lapsing("working_group"), now),
    endOfRoleWrite("roadie", lapsing("roadie"), now),
    db()
      .update(m)
      .set({ status: "lapsed", endedAt: sql`${m.termEndsAt}` })
      .where(and(eq(m.status, "active"), lte(m.termEndsAt, now)))
      .returning({ id: m.id, userId: m.userId, role: m.role }),
  ] as const);
  if (lapsed.length) {
    await db().batch(
      lapsed.map((x) =>
        auditEntry(
          {
            actorUserId: null,
            action: "term.lapse",
            objectType: "membership",
            objectId: x.id,
            detail: { role: x.role, userId: x.userId },
          },
          now,
        ),
      ) as [ReturnType<typeof auditEntry>, ...ReturnType<typeof auditEntry>[]],
    );
  }
  try {
    await settleOpenProposals(now);
  } catch (error) {
    log.error("settling proposals failed", errorFields(error));
  }
  return { reminded, lapsed: lapsed.length };
}
