// Nominations: anyone signed in says "this package needs help"; roadies triage, contact the
// maintainers, publish a call on their behalf once one agrees, or close with a reason.
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { isVerifiedMaintainer, verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { createCall } from "#app/models/calls/calls.server.ts";
import type { CallFormValue } from "#app/models/calls/forms.ts";
import { peopleNotice } from "#emails/people-notice.tsx";
import { log } from "#app/utils/log.server.ts";

export { nominationReasonLabels, publishSchema } from "#app/models/calls/nominations-forms.ts";
import type { nominationReasonLabels } from "#app/models/calls/nominations-forms.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export const nominateRule = { name: "nominate", limit: 10, windowMs: DAY_MS };

const n = schema.nominations;

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
    .where(open ? inArray(n.status, ["open", "contacted"]) : inArray(n.status, ["published", "closed"]))
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
    evidence: r.nomination.evidence,
    nominator: r.nominator,
    packageId: r.packageId,
    maintainers: maintainers.filter((m) => m.packageId === r.packageId).map((m) => m.login),
  }));
}

export function getNomination(id: number) {
  return db().select().from(n).where(eq(n.id, id)).get();
}

async function tellNominator(
  nominationId: number,
  heading: string,
  paragraph: string,
  action?: { href: string; label: string },
) {
  const row = await db()
    .select({ id: schema.users.id, email: schema.users.email, packageName: n.packageName })
    .from(n)
    .innerJoin(schema.users, eq(schema.users.id, n.nominatorUserId))
    .where(eq(n.id, nominationId))
    .get();
  if (!row?.email) return;
  const { subject, react } = peopleNotice(`Your nomination of ${row.packageName}: ${heading.toLowerCase()}`, {
    appUrl: env().appUrl,
    heading: `${row.packageName}: ${heading}`,
    paragraphs: [paragraph],
    action,
    reason: "You receive this because you nominated this package on Roadies. We write once, with the outcome.",
  });
  const result = await sendEmail({
    to: row.email,
    subject,
    react,
    template: "people-nomination-outcome",
    idempotencyKey: `nomination-outcome:${nominationId}`,
    userId: row.id,
  });
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
      .where(and(eq(n.id, id), inArray(n.status, ["open", "contacted"])))
      .returning({ id: n.id }),
    auditEntry({ actorUserId, action: "nomination.close", objectType: "nomination", objectId: id }, now),
  ] as const);
  if (closed.length) await tellNominator(id, "closed", `The roadies closed your nomination: ${reason}`);
  return closed.length > 0;
}

export type PublishResult =
  { ok: true; callId: number } | { ok: false; reason: "not-open" | "no-package" | "not-maintainer" };

/**
 * Publishes a call for the nominated package on a verified maintainer's behalf: the call is posted
 * as theirs (they agreed to it), the roadie's part is in the audit log.
 */
export async function publishForMaintainer(
  actorUserId: number,
  id: number,
  maintainerLogin: string,
  call: CallFormValue,
  now = Date.now(),
): Promise<PublishResult> {
  const nomination = await getNomination(id);
  if (!nomination || !["open", "contacted"].includes(nomination.status)) return { ok: false, reason: "not-open" };
  const pkg = await db()
    .select({ id: schema.packages.id })
    .from(schema.packages)
    .where(eq(schema.packages.normalizedName, nomination.normalizedName))
    .get();
  if (!pkg) return { ok: false, reason: "no-package" };
  const maintainer = await db()
    .select({ id: schema.users.id })
    .from(schema.users)
    .where(sql`lower(${schema.users.login}) = lower(${maintainerLogin.replace(/^@/, "")})`)
    .get();
  if (!maintainer || !(await isVerifiedMaintainer(maintainer.id, pkg.id)))
    return { ok: false, reason: "not-maintainer" };
  const callId = await createCall({ id: maintainer.id, isAdmin: false }, pkg.id, call, now);
  const [updated] = await db().batch([
    db()
      .update(n)
      .set({ status: "published", callId, triagedByUserId: actorUserId, updatedAt: now })
      .where(eq(n.id, id))
      .returning({ id: n.id }),
    auditEntry(
      {
        actorUserId,
        action: "nomination.publish",
        objectType: "nomination",
        objectId: id,
        detail: { callId, maintainerUserId: maintainer.id },
      },
      now,
    ),
  ] as const);
  if (updated.length) {
    await tellNominator(
      id,
      "a call is published",
      "A maintainer agreed and the roadies published a call for help. Thank you for speaking up.",
      {
        href: `${env().appUrl}/calls/${callId}`,
        label: "See the call",
      },
    );
  }
  return { ok: true, callId };
}
