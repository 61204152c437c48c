// Dormant-package check-ins: once per quarter, each verified maintainer of a dormant package gets
// an email with three one-click answers; an answer updates the package's maintenance state.
import { and, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";
import { log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { assessAllPackages } from "#app/models/packages/health-data.server.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { checkinEmail } from "#emails/ecosystem-checkin.tsx";
import type { CheckinAnswer } from "#db/schema/ecosystem.ts";
import { DAY_MS } from "#app/utils/dates.ts";

const PURPOSE = "maintenance-checkin";
const TOKEN_LIFETIME_MS = 120 * DAY_MS;

export function quarterOf(now: number): string {
  const d = new Date(now);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

export function checkinLink(checkinId: number, answer: CheckinAnswer, now: number): string {
  const token = createSignedToken({ purpose: PURPOSE, subject: String(checkinId), expiresAt: now + TOKEN_LIFETIME_MS });
  return `${env().appUrl}/checkin/${token}?answer=${answer}`;
}

/** Sends this quarter's check-ins for dormant packages; safe to run daily (exactly once per quarter). */
export async function sendDormantCheckins(now = Date.now()) {
  const quarter = quarterOf(now);
  const { packages } = await assessAllPackages(now);
  const dormant = packages.filter((p) => p.state === "dormant");
  if (dormant.length === 0) return { sent: 0, dormant: 0 };
  const m = schema.packageMaintainers;
  const maintainers = await db()
    .select({ packageId: m.packageId, userId: schema.users.id, login: schema.users.login, email: deliveryAddress })
    .from(m)
    .innerJoin(schema.users, eq(schema.users.id, m.userId))
    .where(
      and(
        inArray(
          m.packageId,
          dormant.map((p) => p.input.id),
        ),
        verifiedRowSql,
      ),
    )
    .all();
  let sent = 0;
  for (const person of maintainers) {
    const pkg = dormant.find((p) => p.input.id === person.packageId)!;
    if (await askMaintainer(person, { name: pkg.input.name, rule: pkg.rule, why: "dormant" }, now)) sent++;
  }
  log.info("dormant check-ins", { quarter, dormant: dormant.length, sent });
  return { sent, dormant: dormant.length };
}

/**
 * This quarter's check-in of one maintainer of one package: the row (once per quarter) and the
 * email, unless they answered already or have no address. True when an email went out now.
 */
async function askMaintainer(
  person: { packageId: number; userId: number; login: string; email: string | null },
  pkg: { name: string; rule: string; why: "dormant" | "at-risk" },
  now: number,
): Promise<boolean> {
  const quarter = quarterOf(now);
  const c = schema.maintenanceCheckins;
  await db()
    .insert(c)
    .values({ packageId: person.packageId, userId: person.userId, quarter, sentAt: now })
    .onConflictDoNothing();
  const row = await db()
    .select()
    .from(c)
    .where(and(eq(c.packageId, person.packageId), eq(c.userId, person.userId), eq(c.quarter, quarter)))
    .get();
  if (!row || row.answer || !person.email) return false;
  // The idempotency key makes a rerun (or a retry after a failed send) send nothing twice.
  const result = await sendEmail({
    to: person.email,
    ...checkinEmail({
      login: person.login,
      packageName: pkg.name,
      rule: pkg.rule,
      why: pkg.why,
      appUrl: env().appUrl,
      links: {
        stillMaintained: checkinLink(row.id, "still_maintained", now),
        wouldLikeHelp: checkinLink(row.id, "would_like_help", now),
        wantToHandOver: checkinLink(row.id, "want_to_hand_over", now),
      },
    }),
    template: "ecosystem-checkin",
    kind: "ecosystem-checkin",
    idempotencyKey: `checkin:${row.packageId}:${row.userId}:${quarter}`,
    userId: person.userId,
  });
  return result.ok && !result.skipped;
}

/**
 * A roadie asks the verified maintainers of one package now, without waiting for it to be dormant
 * (the review's "at risk and widely used" list): the same check-in, at most once per quarter per
 * maintainer, so a second click asks nobody twice. Returns how many maintainers are asked in all
 * this quarter, and how many were emailed now.
 */
export async function startCheckin(
  actorUserId: number,
  packageId: number,
  reason: string,
  now = Date.now(),
): Promise<{ ok: true; asked: number; sent: number } | { ok: false; problem: "no-package" | "no-maintainer" }> {
  const pkg = await db()
    .select({ id: schema.packages.id, name: schema.packages.name })
    .from(schema.packages)
    .where(eq(schema.packages.id, packageId))
    .get();
  if (!pkg) return { ok: false, problem: "no-package" };
  const m = schema.packageMaintainers;
  const maintainers = await db()
    .select({ packageId: m.packageId, userId: schema.users.id, login: schema.users.login, email: deliveryAddress })
    .from(m)
    .innerJoin(schema.users, eq(schema.users.id, m.userId))
    .where(and(eq(m.packageId, packageId), verifiedRowSql))
    .all();
  if (!maintainers.length) return { ok: false, problem: "no-maintainer" };
  await auditEntry(
    { actorUserId, action: "checkin.start", objectType: "package", objectId: packageId, detail: { reason } },
    now,
  );
  let sent = 0;
  for (const person of maintainers) {
    if (await askMaintainer(person, { name: pkg.name, rule: reason, why: "at-risk" }, now)) sent++;
  }
  return { ok: true, asked: maintainers.length, sent };
}

/** The check-in a token names, with its package; null for a bad or expired token. */
export async function findCheckin(token: string, now = Date.now()) {
  const subject = verifySignedToken(token, PURPOSE, now);
  if (!subject || !/^\d+$/.test(subject)) return null;
  const c = schema.maintenanceCheckins;
  return (
    (await db()
      .select({
        id: c.id,
        answer: c.answer,
        answeredAt: c.answeredAt,
        packageName: schema.packages.name,
        normalizedName: schema.packages.normalizedName,
      })
      .from(c)
      .innerJoin(schema.packages, eq(schema.packages.id, c.packageId))
      .where(eq(c.id, Number(subject)))
      .get()) ?? null
  );
}

export async function answerCheckin(id: number, answer: CheckinAnswer, now = Date.now()) {
  const row = await db().select().from(schema.maintenanceCheckins).where(eq(schema.maintenanceCheckins.id, id)).get();
  if (!row) return;
  await db().batch([
    db()
      .update(schema.maintenanceCheckins)
      .set({ answer, answeredAt: now })
      .where(eq(schema.maintenanceCheckins.id, id)),
    auditEntry(
      {
        actorUserId: row.userId,
        action: "checkin.answer",
        objectType: "package",
        objectId: row.packageId,
        detail: { answer },
      },
      now,
    ),
  ]);
}
