// The waitlist: when an accepted applicant declines, the place is offered to the next person
// waitlisted for that role. Applications (declining) call this; it depends only on decisions.
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { sendBatch } from "#app/utils/email.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { listRoles } from "#app/models/programs/programs.server.ts";
import { decisionKey, decisionMessage, decisionNotice } from "#app/models/programs/decisions.server.ts";
import { notify } from "#app/models/inbox/notifications.server.ts";

const a = schema.applications;
const s = schema.applicationScores;

/**
 * A place opened up in a role (someone declined): offer it to the top of that role's waitlist,
 * highest mean score first, then earliest submitted. The offer email goes out at once, once.
 */
export async function promoteFromWaitlist(programId: number, roleId: number, now = Date.now()) {
  const program = await db().select().from(schema.programs).where(eq(schema.programs.id, programId)).get();
  if (!program) return null;
  const [role] = (await listRoles(programId)).filter((r) => r.id === roleId);
  if (!role) return null;
  const [taken] = await db()
    .select({ n: sql<number>`count(*)` })
    .from(a)
    .where(
      and(
        eq(a.programId, programId),
        eq(a.roleId, roleId),
        eq(a.decision, "accepted"),
        eq(a.status, "submitted"),
        isNull(a.declinedAt),
      ),
    );
  if ((taken?.n ?? 0) >= role.capacity) return null;
  const next = await db()
    .select({
      id: a.id,
      userId: a.userId,
      login: schema.users.login,
      name: schema.users.name,
      email: deliveryAddress,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .where(
      and(
        eq(a.programId, programId),
        eq(a.roleId, roleId),
        eq(a.decision, "waitlisted"),
        eq(a.status, "submitted"),
        isNotNull(a.decisionSentAt),
      ),
    )
    .orderBy(
      sql`(SELECT avg(${s.total}) FROM ${s} WHERE ${s.applicationId} = ${a.id}) DESC NULLS LAST`,
      asc(a.submittedAt),
      asc(a.id),
    )
    .limit(1)
    .get();
  if (!next) return null;
  await db().batch([
    db()
      .update(a)
      .set({ decision: "accepted", decisionSentAt: null, updatedAt: now })
      .where(and(eq(a.id, next.id), eq(a.decision, "waitlisted"))),
    auditEntry(
      { actorUserId: null, action: "program.waitlist.promote", objectType: "application", objectId: next.id },
      now,
    ),
  ]);
  let sent = !next.email;
  if (next.email) {
    const result = await sendBatch([
      {
        to: next.email,
        ...decisionMessage(program, { ...next, roleName: role.name, decision: "accepted" }, true),
        template: "programs-decision",
        kind: "programs-decision",
        idempotencyKey: decisionKey(next.id, "accepted"),
        userId: next.userId,
      },
    ]);
    sent = Boolean(result[0]?.ok);
  }
  // If the email failed, the offer stays pending and shows in the organisers' "send decisions".
  if (sent) {
    await db()
      .update(a)
      .set({ decisionSentAt: now })
      .where(and(eq(a.id, next.id), isNull(a.decisionSentAt)));
    await notify([decisionNotice(program, { id: next.id, userId: next.userId, decision: "accepted" }, true)], now);
  }
  return { applicationId: next.id, sent };
}
