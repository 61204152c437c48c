// Mentoring projects: maintainers offer one on a package they maintain, attached to a programme;
// applicants rank the programme's projects.
import { and, asc, eq } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { verifiedRowSql } from "#app/models/packages/maintainers.server.ts";
import { ProgramInputError } from "#app/models/programs/programs.server.ts";
import type { ProjectSize } from "#app/models/programs/constants.ts";

export type ProjectInput = {
  packageName: string;
  title: string;
  description: string;
  skills: string[];
  size: ProjectSize;
  programId: number | null;
};

/** Packages on which the user is a verified maintainer: the only ones they can offer projects on. */
export function listMaintainedPackages(userId: number) {
  const pm = schema.packageMaintainers;
  return db()
    .select({ id: schema.packages.id, name: schema.packages.name, normalizedName: schema.packages.normalizedName })
    .from(pm)
    .innerJoin(schema.packages, eq(schema.packages.id, pm.packageId))
    .where(and(eq(pm.userId, userId), verifiedRowSql))
    .orderBy(asc(schema.packages.normalizedName))
    .all();
}

export async function createProject(userId: number, input: ProjectInput, now = Date.now()) {
  const maintained = await listMaintainedPackages(userId);
  const pkg = maintained.find((m) => m.normalizedName === normalizePackageName(input.packageName));
  if (!pkg) throw new ProgramInputError("packageName", "You can offer projects only on packages you maintain.");
  const [row] = await db()
    .insert(schema.mentoringProjects)
    .values({
      packageId: pkg.id,
      programId: input.programId,
      title: input.title,
      description: input.description,
      skills: input.skills,
      size: input.size,
      mentorUserId: userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await auditEntry(
    { actorUserId: userId, action: "program.project.create", objectType: "mentoring_project", objectId: row!.id },
    now,
  );
  return row!;
}

export function listProjects(programId: number) {
  const mp = schema.mentoringProjects;
  return db()
    .select({
      id: mp.id,
      title: mp.title,
      description: mp.description,
      skills: mp.skills,
      size: mp.size,
      packageName: schema.packages.name,
      packageSlug: schema.packages.normalizedName,
      mentorLogin: schema.users.login,
    })
    .from(mp)
    .innerJoin(schema.packages, eq(schema.packages.id, mp.packageId))
    .leftJoin(schema.users, eq(schema.users.id, mp.mentorUserId))
    .where(eq(mp.programId, programId))
    .orderBy(asc(schema.packages.normalizedName), asc(mp.id))
    .all();
}
