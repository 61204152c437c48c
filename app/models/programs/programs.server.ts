// Mentoring programmes themselves: creating and editing one (details, window, roles, rubric, group
// rules, organisers) and finding them. The rest of the area sits beside this file: access (who may
// organise), questions, projects, applications and answers, review, decisions, waitlist, export,
// groups and alumni.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { db, schema } from "#app/utils/db.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { windowInstants, windowState, type WindowState } from "#app/models/programs/window.ts";
import { noGroupRules, type GroupRules, type Program, type ProgramRole, type RubricCriterion } from "#db/schema.ts";

const p = schema.programs;

export type ProgramInput = {
  slug: string;
  name: string;
  organisation: string;
  description: string;
  website?: string | null;
  seasonStart: string;
  seasonEnd: string;
  opensOn: string;
  closesOn: string;
  windowTimezone: string;
  roles: { name: string; capacity: number; description?: string }[];
  organiserLogins: string[];
  rubric: { label: string; weight: number }[];
  groupRules?: {
    mentorRole: string;
    menteeRole: string;
    maxPerMentor: number;
    maxPerGroup: number;
    minOverlapHours: number;
  } | null;
};

export class ProgramInputError extends Error {
  constructor(
    public field: string,
    message: string,
  ) {
    super(message);
  }
}

function slugifyCriterion(label: string, index: number) {
  return (
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || `criterion-${index + 1}`
  );
}

/** The group rules as stored: role names resolved to the programme's roles (none if either is missing). */
function resolveGroupRules(roles: ProgramRole[], input: ProgramInput["groupRules"]): GroupRules | null {
  if (!input) return null;
  const named = (name: string) => roles.find((r) => r.name.toLowerCase() === name.toLowerCase());
  const mentor = named(input.mentorRole);
  const mentee = named(input.menteeRole);
  if (!mentor || !mentee) return null;
  return {
    mentorRoleId: mentor.id,
    menteeRoleId: mentee.id,
    maxPerMentor: input.maxPerMentor,
    maxPerGroup: input.maxPerGroup,
    minOverlapHours: input.minOverlapHours,
  };
}

/** The columns a programme's form sets, on creation and on every edit (the window in its own zone). */
function editableFields(input: ProgramInput, rubric: RubricCriterion[]) {
  const { opensAt, closesAt } = windowInstants(input.opensOn, input.closesOn, input.windowTimezone);
  return {
    name: input.name,
    organisation: input.organisation,
    description: input.description,
    website: input.website || null,
    seasonStart: input.seasonStart,
    seasonEnd: input.seasonEnd,
    opensOn: input.opensOn,
    closesOn: input.closesOn,
    windowTimezone: input.windowTimezone,
    opensAt,
    closesAt,
    rubric,
  };
}

/** Creates a programme with its roles and organisers in one batch. Working-group admins only. */
export async function createProgram(input: ProgramInput, adminUserId: number | null, now = Date.now()) {
  const database = db();
  const existing = await database.select({ id: p.id }).from(p).where(eq(p.slug, input.slug)).get();
  if (existing) throw new ProgramInputError("slug", "Another programme already uses this address.");
  const organisers = await findUsersByLogin(input.organiserLogins);
  const missing = input.organiserLogins.filter(
    (l) => !organisers.some((o) => o.login.toLowerCase() === l.toLowerCase()),
  );
  if (missing.length)
    throw new ProgramInputError("organisers", `No Roadies account for ${missing.map((m) => "@" + m).join(", ")}.`);
  const rubric = input.rubric.map((c, i) => ({ id: slugifyCriterion(c.label, i), label: c.label, weight: c.weight }));

  const [program] = await database
    .insert(p)
    .values({
      slug: input.slug,
      ...editableFields(input, rubric),
      createdByUserId: adminUserId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  const programId = program!.id;
  const roleRows = await database
    .insert(schema.programRoles)
    .values(
      input.roles.map((r, i) => ({
        programId,
        name: r.name,
        description: r.description ?? "",
        capacity: r.capacity,
        position: i,
      })),
    )
    .returning();
  const extra = [];
  // The rules name roles by id, so they are written once the roles exist.
  const groupRules = resolveGroupRules(roleRows, input.groupRules);
  if (groupRules) extra.push(database.update(p).set({ groupRules }).where(eq(p.id, programId)));
  if (organisers.length)
    extra.push(
      database
        .insert(schema.programOrganisers)
        .values(organisers.map((o) => ({ programId, userId: o.id, createdAt: now })))
        .onConflictDoNothing(),
    );
  await database.batch([
    auditEntry({ actorUserId: adminUserId, action: "program.create", objectType: "program", objectId: programId }, now),
    ...extra,
  ]);
  return { ...program!, roles: roleRows };
}

/**
 * Edits a programme. Roles are matched by name: capacities change in place, new roles are added,
 * and a role is removed only while nobody has applied for it (removing it would lose applications).
 * Only working-group admins may change who organises.
 */
export async function updateProgram(
  program: Program,
  input: ProgramInput,
  actor: { id: number; isAdmin: boolean },
  now = Date.now(),
) {
  const database = db();
  const current = await listOrganisers(program.id);
  const wanted = await findUsersByLogin(input.organiserLogins);
  const missing = input.organiserLogins.filter((l) => !wanted.some((o) => o.login.toLowerCase() === l.toLowerCase()));
  if (missing.length)
    throw new ProgramInputError("organisers", `No Roadies account for ${missing.map((m) => "@" + m).join(", ")}.`);
  const same = current.length === wanted.length && current.every((c) => wanted.some((w) => w.id === c.id));
  if (!same && !actor.isAdmin)
    throw new ProgramInputError("organisers", "Only working-group admins can change who organises a programme.");

  const roles = await listRoles(program.id);
  const counts = await database
    .select({ roleId: schema.applications.roleId, n: sql<number>`count(*)` })
    .from(schema.applications)
    .where(eq(schema.applications.programId, program.id))
    .groupBy(schema.applications.roleId)
    .all();
  const removed = roles.filter((r) => !input.roles.some((x) => x.name.toLowerCase() === r.name.toLowerCase()));
  const blocked = removed.find((r) => counts.some((c) => c.roleId === r.id && c.n > 0));
  if (blocked)
    throw new ProgramInputError("roles", `People have applied as ${blocked.name}, so that role cannot be removed.`);

  const oldRubric = program.rubric;
  // Keep criterion ids for labels that did not change, so scores already given still line up.
  const rubric = input.rubric.map((c, i) => ({
    id: oldRubric.find((o) => o.label.toLowerCase() === c.label.toLowerCase())?.id ?? slugifyCriterion(c.label, i),
    label: c.label,
    weight: c.weight,
  }));
  const r = schema.programRoles;
  const writes: BatchItem<"sqlite">[] = [
    database
      .update(p)
      .set({
        ...editableFields(input, rubric),
        updatedAt: now,
      })
      .where(eq(p.id, program.id)),
    ...input.roles.map((role, position) => {
      const existing = roles.find((x) => x.name.toLowerCase() === role.name.toLowerCase());
      return existing
        ? database.update(r).set({ name: role.name, capacity: role.capacity, position }).where(eq(r.id, existing.id))
        : database.insert(r).values({ programId: program.id, name: role.name, capacity: role.capacity, position });
    }),
    ...removed.map((role) => database.delete(r).where(eq(r.id, role.id))),
    auditEntry({ actorUserId: actor.id, action: "program.update", objectType: "program", objectId: program.id }, now),
  ];
  if (!same)
    writes.push(
      database.delete(schema.programOrganisers).where(eq(schema.programOrganisers.programId, program.id)),
      ...wanted.map((o) =>
        database.insert(schema.programOrganisers).values({ programId: program.id, userId: o.id, createdAt: now }),
      ),
    );
  await database.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  // Resolved after the batch: a role added by this edit gets its id only now.
  const rules = input.groupRules ? resolveGroupRules(await listRoles(program.id), input.groupRules) : null;
  await database
    .update(p)
    .set({ groupRules: rules ?? noGroupRules })
    .where(eq(p.id, program.id));
}

async function findUsersByLogin(logins: string[]) {
  if (logins.length === 0) return [];
  return db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .where(
      inArray(
        sql`lower(${schema.users.login})`,
        logins.map((l) => l.toLowerCase()),
      ),
    )
    .all();
}

export function getProgramBySlug(slug: string) {
  return db().select().from(p).where(eq(p.slug, slug)).get();
}

export function listRoles(programId: number) {
  return db()
    .select()
    .from(schema.programRoles)
    .where(eq(schema.programRoles.programId, programId))
    .orderBy(asc(schema.programRoles.position), asc(schema.programRoles.id))
    .all();
}

export async function listOrganisers(programId: number) {
  return db()
    .select({ id: schema.users.id, login: schema.users.login, name: schema.users.name })
    .from(schema.programOrganisers)
    .innerJoin(schema.users, eq(schema.users.id, schema.programOrganisers.userId))
    .where(eq(schema.programOrganisers.programId, programId))
    .orderBy(asc(schema.users.login))
    .all();
}

/** Programmes grouped for /programs: open now (closing soonest first), upcoming, past. */
export async function listPrograms(now = Date.now()) {
  const rows = await db().select().from(p).orderBy(asc(p.closesAt)).all();
  const groups: Record<WindowState, Program[]> = { open: [], upcoming: [], closed: [] };
  for (const row of rows) groups[windowState(row, now)].push(row);
  groups.upcoming.sort((a, b) => a.opensAt - b.opensAt);
  groups.closed.sort((a, b) => b.closesAt - a.closesAt);
  return groups;
}

/** Every programme's application deadline, for the ecosystem calendar (/calendar.ics). */
export async function listProgrammeDeadlines(): Promise<
  { name: string; slug: string; opensAt: number; closesAt: number; windowTimezone: string }[]
> {
  return db()
    .select({ name: p.name, slug: p.slug, opensAt: p.opensAt, closesAt: p.closesAt, windowTimezone: p.windowTimezone })
    .from(p)
    .orderBy(asc(p.closesAt))
    .all();
}

/** One of the programme's roles (a role id from a form or a link), if it is one. */
export function getRole(programId: number, roleId: number) {
  const r = schema.programRoles;
  return db()
    .select()
    .from(r)
    .where(and(eq(r.programId, programId), eq(r.id, roleId)))
    .get();
}
