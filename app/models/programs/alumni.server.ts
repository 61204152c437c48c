// Alumni: organisers record who completed a programme (people accepted, told, and not declined);
// the record is behind profile badges and trust signals elsewhere.
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";

const a = schema.applications;
const p = schema.programs;

/** Records that people completed a programme (organisers, once the season is over). */
export async function recordAlumni(programId: number, applicationIds: number[], actorUserId: number, now = Date.now()) {
  if (applicationIds.length === 0) return 0;
  const rows = await db()
    .select({ userId: a.userId, roleName: schema.programRoles.name })
    .from(a)
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(
      and(
        eq(a.programId, programId),
        inArray(a.id, applicationIds),
        eq(a.decision, "accepted"),
        sql`${a.decisionSentAt} IS NOT NULL`,
        isNull(a.declinedAt),
      ),
    )
    .all();
  if (rows.length === 0) return 0;
  await db().batch([
    db()
      .insert(schema.programAlumni)
      .values(
        rows.map((r) => ({
          programId,
          userId: r.userId,
          roleName: r.roleName,
          completedAt: now,
          recordedByUserId: actorUserId,
        })),
      )
      .onConflictDoNothing(),
    auditEntry(
      {
        actorUserId,
        action: "program.alumni.record",
        objectType: "program",
        objectId: programId,
        detail: { count: rows.length },
      },
      now,
    ),
  ]);
  return rows.length;
}

/** True when the person completed at least one programme: a badge on profiles, a trust signal for calls. */
export async function isAlumnus(userId: number): Promise<boolean> {
  const row = await db()
    .select({ userId: schema.programAlumni.userId })
    .from(schema.programAlumni)
    .where(eq(schema.programAlumni.userId, userId))
    .limit(1)
    .get();
  return Boolean(row);
}

/** The programmes a person completed, newest first. */
export function listAlumniProgrammes(
  userId: number,
): Promise<{ name: string; slug: string; organisation: string; roleName: string; completedAt: number }[]> {
  const al = schema.programAlumni;
  return db()
    .select({
      name: p.name,
      slug: p.slug,
      organisation: p.organisation,
      roleName: al.roleName,
      completedAt: al.completedAt,
    })
    .from(al)
    .innerJoin(p, eq(p.id, al.programId))
    .where(eq(al.userId, userId))
    .orderBy(desc(al.completedAt))
    .all();
}

export function listProgramAlumni(programId: number) {
  const al = schema.programAlumni;
  return db()
    .select({ userId: al.userId, login: schema.users.login, name: schema.users.name, roleName: al.roleName })
    .from(al)
    .innerJoin(schema.users, eq(schema.users.id, al.userId))
    .where(eq(al.programId, programId))
    .orderBy(asc(schema.users.login))
    .all();
}

/** Accepted people of a programme, for the alumni form. */
export function listAccepted(programId: number) {
  return db()
    .select({ id: a.id, login: schema.users.login, roleName: schema.programRoles.name, userId: a.userId })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(
      and(
        eq(a.programId, programId),
        eq(a.decision, "accepted"),
        eq(a.status, "submitted"),
        isNotNull(a.decisionSentAt),
        isNull(a.declinedAt),
      ),
    )
    .orderBy(asc(schema.programRoles.position), asc(schema.users.login))
    .all();
}
