// Mentoring programmes: programmes and who organises them, roles, the question form, mentoring
// projects, applying inside the window, and alumni. Review and decisions live in
// programs-review.server.ts, groups in programs-groups.server.ts.
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { getCurrentUser, requireUser } from "#app/utils/auth.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { windowInstants, windowState, type WindowState } from "#app/models/programs/window.ts";
import { applicationSubmittedEmail } from "#emails/programs-submitted.tsx";
import type { Application, Program, ProgramQuestion, QuestionKind } from "#db/schema.ts";

const p = schema.programs;

export type RubricCriterion = { id: string; label: string; weight: number };
export type GroupRules = {
  mentorRoleId: number;
  menteeRoleId: number;
  maxPerMentor: number;
  maxPerGroup: number;
  minOverlapHours: number;
};

export function parseRubric(program: Pick<Program, "rubric">): RubricCriterion[] {
  try {
    const parsed = JSON.parse(program.rubric) as RubricCriterion[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function parseGroupRules(program: Pick<Program, "groupRules">): GroupRules | null {
  try {
    return (JSON.parse(program.groupRules) as GroupRules | null) ?? null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Programmes

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
  const { opensAt, closesAt } = windowInstants(input.opensOn, input.closesOn, input.windowTimezone);
  const rubric = input.rubric.map((c, i) => ({ id: slugifyCriterion(c.label, i), label: c.label, weight: c.weight }));

  const [program] = await database
    .insert(p)
    .values({
      slug: input.slug,
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
      rubric: JSON.stringify(rubric),
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
  if (input.groupRules) {
    const mentor = roleRows.find((r) => r.name.toLowerCase() === input.groupRules!.mentorRole.toLowerCase());
    const mentee = roleRows.find((r) => r.name.toLowerCase() === input.groupRules!.menteeRole.toLowerCase());
    if (mentor && mentee) {
      const rules: GroupRules = {
        mentorRoleId: mentor.id,
        menteeRoleId: mentee.id,
        maxPerMentor: input.groupRules.maxPerMentor,
        maxPerGroup: input.groupRules.maxPerGroup,
        minOverlapHours: input.groupRules.minOverlapHours,
      };
      extra.push(
        database
          .update(p)
          .set({ groupRules: JSON.stringify(rules) })
          .where(eq(p.id, programId)),
      );
    }
  }
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

  const { opensAt, closesAt } = windowInstants(input.opensOn, input.closesOn, input.windowTimezone);
  const oldRubric = parseRubric(program);
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
        rubric: JSON.stringify(rubric),
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
  if (input.groupRules) {
    const fresh = await listRoles(program.id);
    const mentor = fresh.find((x) => x.name.toLowerCase() === input.groupRules!.mentorRole.toLowerCase());
    const mentee = fresh.find((x) => x.name.toLowerCase() === input.groupRules!.menteeRole.toLowerCase());
    const rules: GroupRules | null =
      mentor && mentee
        ? {
            mentorRoleId: mentor.id,
            menteeRoleId: mentee.id,
            maxPerMentor: input.groupRules.maxPerMentor,
            maxPerGroup: input.groupRules.maxPerGroup,
            minOverlapHours: input.groupRules.minOverlapHours,
          }
        : null;
    await database
      .update(p)
      .set({ groupRules: JSON.stringify(rules) })
      .where(eq(p.id, program.id));
  } else {
    await database.update(p).set({ groupRules: "null" }).where(eq(p.id, program.id));
  }
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

// ---------------------------------------------------------------------------------------------
// Permissions

/**
 * Organisers of the programme, and admins (`user.isAdmin` is the session's effective admin right,
 * see powers.server.ts). An organiser seat gives nothing while the account is suspended; deleting
 * the account deletes the seat.
 */
export async function isOrganiser(user: { id: number; isAdmin: boolean } | null, programId: number) {
  if (!user) return false;
  if (user.isAdmin) return true;
  const o = schema.programOrganisers;
  const row = await db()
    .select({ userId: o.userId })
    .from(o)
    .where(
      and(
        eq(o.programId, programId),
        eq(o.userId, user.id),
        sql`NOT EXISTS (SELECT 1 FROM account_suspensions WHERE account_suspensions.user_id = ${o.userId})`,
      ),
    )
    .get();
  return Boolean(row);
}

/**
 * The programme behind an organiser page, or a 404 for everyone who may not organise it (so
 * management pages of a programme do not reveal themselves to outsiders).
 */
export async function requireProgramOrganiser(request: Request, slug: string | undefined) {
  const user = await requireUser(request);
  const program = slug ? await getProgramBySlug(slug) : undefined;
  if (!program || !(await isOrganiser(user, program.id))) throw new Response("Not found", { status: 404 });
  return { user, program };
}

export async function getProgramForVisitor(request: Request, slug: string | undefined) {
  const program = slug ? await getProgramBySlug(slug) : undefined;
  if (!program) throw new Response("Not found", { status: 404 });
  const user = await getCurrentUser(request);
  return { program, user, organiser: await isOrganiser(user, program.id) };
}

// ---------------------------------------------------------------------------------------------
// Questions (the form builder)

export type QuestionInput = {
  kind: QuestionKind;
  label: string;
  help?: string;
  required: boolean;
  maxLength?: number | null;
  options?: string[];
};

export function parseOptions(q: Pick<ProgramQuestion, "options">): string[] {
  try {
    const parsed = JSON.parse(q.options) as string[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function listQuestions(programId: number, { includeArchived = false } = {}) {
  const q = schema.programQuestions;
  return db()
    .select()
    .from(q)
    .where(includeArchived ? eq(q.programId, programId) : and(eq(q.programId, programId), isNull(q.archivedAt)))
    .orderBy(asc(q.position), asc(q.id))
    .all();
}

export async function addQuestion(
  programId: number,
  input: QuestionInput,
  actorUserId: number | null,
  now = Date.now(),
) {
  const q = schema.programQuestions;
  const [last] = await db()
    .select({ position: sql<number>`coalesce(max(${q.position}), -1)` })
    .from(q)
    .where(eq(q.programId, programId));
  const [row] = await db()
    .insert(q)
    .values({
      programId,
      kind: input.kind,
      label: input.label,
      help: input.help ?? "",
      required: input.required,
      maxLength: input.maxLength ?? null,
      options: JSON.stringify(input.options ?? []),
      position: (last?.position ?? -1) + 1,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  await auditEntry(
    {
      actorUserId,
      action: "program.question.add",
      objectType: "program",
      objectId: programId,
      detail: { questionId: row!.id },
    },
    now,
  );
  return row!;
}

/**
 * Edits a question. Answers are keyed by question id, so they survive wording changes; once the
 * window has opened the kind is fixed, since old answers would no longer fit a different kind.
 */
export async function updateQuestion(
  program: Program,
  questionId: number,
  input: QuestionInput,
  actorUserId: number,
  now = Date.now(),
) {
  const q = schema.programQuestions;
  const existing = await db()
    .select()
    .from(q)
    .where(and(eq(q.id, questionId), eq(q.programId, program.id)))
    .get();
  if (!existing) throw new Response("Not found", { status: 404 });
  if (existing.kind !== input.kind && now >= program.opensAt)
    throw new ProgramInputError("kind", "The kind of answer cannot change once applications have opened.");
  await db().batch([
    db()
      .update(q)
      .set({
        kind: input.kind,
        label: input.label,
        help: input.help ?? "",
        required: input.required,
        maxLength: input.maxLength ?? null,
        options: JSON.stringify(input.options ?? []),
        updatedAt: now,
      })
      .where(eq(q.id, questionId)),
    auditEntry(
      {
        actorUserId,
        action: "program.question.update",
        objectType: "program",
        objectId: program.id,
        detail: { questionId },
      },
      now,
    ),
  ]);
}

/** Removes a question from the form; answers already given stay readable for reviewers. */
export async function archiveQuestion(program: Program, questionId: number, actorUserId: number, now = Date.now()) {
  const q = schema.programQuestions;
  await db().batch([
    db()
      .update(q)
      .set({ archivedAt: now, updatedAt: now })
      .where(and(eq(q.id, questionId), eq(q.programId, program.id), isNull(q.archivedAt))),
    auditEntry(
      {
        actorUserId,
        action: "program.question.archive",
        objectType: "program",
        objectId: program.id,
        detail: { questionId },
      },
      now,
    ),
  ]);
}

export async function moveQuestion(program: Program, questionId: number, direction: "up" | "down") {
  const questions = await listQuestions(program.id);
  const index = questions.findIndex((x) => x.id === questionId);
  const swapWith = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || swapWith < 0 || swapWith >= questions.length) return;
  const order = questions.map((x) => x.id);
  [order[index], order[swapWith]] = [order[swapWith]!, order[index]!];
  const q = schema.programQuestions;
  const [first, ...rest] = order.map((id, position) => db().update(q).set({ position }).where(eq(q.id, id)));
  await db().batch([first!, ...rest]);
}

// ---------------------------------------------------------------------------------------------
// Mentoring projects

export type ProjectInput = {
  packageName: string;
  title: string;
  description: string;
  skills: string[];
  size: "small" | "medium" | "large";
  programId: number | null;
};

/** Packages on which the user is a verified maintainer: the only ones they can offer projects on. */
export function listMaintainedPackages(userId: number) {
  const pm = schema.packageMaintainers;
  return db()
    .select({ id: schema.packages.id, name: schema.packages.name, normalizedName: schema.packages.normalizedName })
    .from(pm)
    .innerJoin(schema.packages, eq(schema.packages.id, pm.packageId))
    .where(and(eq(pm.userId, userId), sql`${pm.verifiedAt} IS NOT NULL`))
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
      skills: JSON.stringify(input.skills),
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

export async function listProjects(programId: number) {
  const mp = schema.mentoringProjects;
  const rows = await db()
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
  return rows.map((r) => ({ ...r, skills: JSON.parse(r.skills) as string[] }));
}

// ---------------------------------------------------------------------------------------------
// Applying

export type AnswerValues = Record<number, string | string[]>;

export type ApplicationDraft = {
  answers: AnswerValues;
  projectRanking: number[];
  timezone: string | null;
  availableFrom: number | null;
  availableTo: number | null;
};

export class WindowClosedError extends Error {
  constructor(public state: "upcoming" | "closed") {
    super(
      state === "closed"
        ? "Applications for this programme have closed: the deadline has passed, so changes can no longer be saved."
        : "Applications for this programme have not opened yet.",
    );
  }
}

export function getApplication(programId: number, roleId: number, userId: number) {
  const a = schema.applications;
  return db()
    .select()
    .from(a)
    .where(and(eq(a.programId, programId), eq(a.roleId, roleId), eq(a.userId, userId)))
    .get();
}

export async function getAnswers(applicationId: number): Promise<AnswerValues> {
  const rows = await db()
    .select()
    .from(schema.applicationAnswers)
    .where(eq(schema.applicationAnswers.applicationId, applicationId))
    .all();
  const answers: AnswerValues = {};
  for (const r of rows) answers[r.questionId] = decodeAnswer(r.value);
  return answers;
}

function decodeAnswer(value: string): string | string[] {
  if (value.startsWith("[")) {
    try {
      const parsed = JSON.parse(value) as unknown;
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // a text answer that happens to start with "["
    }
  }
  return value;
}

function encodeAnswer(value: string | string[]): string {
  return Array.isArray(value) ? JSON.stringify(value) : value.startsWith("[") ? ` ${value}` : value;
}

/** Problems with an application's answers, keyed by question id (or "ranking"); empty when fine. */
export function validateAnswers(
  questions: ProgramQuestion[],
  answers: AnswerValues,
  { requireAll }: { requireAll: boolean },
): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const question of questions) {
    const value = answers[question.id];
    const text = Array.isArray(value) ? value.join("") : (value ?? "").trim();
    const key = String(question.id);
    if (!text) {
      if (requireAll && question.required) problems[key] = "This question needs an answer.";
      continue;
    }
    if (question.maxLength && !Array.isArray(value) && text.length > question.maxLength)
      problems[key] = `Keep this to ${question.maxLength} characters (now ${text.length}).`;
    const options = parseOptions(question);
    if (question.kind === "single_choice" && !options.includes(text)) problems[key] = "Choose one of the options.";
    if (question.kind === "multiple_choice") {
      const chosen = Array.isArray(value) ? value : [value!];
      if (chosen.some((c) => !options.includes(c))) problems[key] = "Choose among the options shown.";
    }
    if (question.kind === "yes_no" && text !== "yes" && text !== "no") problems[key] = "Answer yes or no.";
    if (question.kind === "url" && !/^https?:\/\/[^\s]+\.[^\s]+$/i.test(text))
      problems[key] = "Enter a full web address starting with https://.";
  }
  return problems;
}

async function assertOpen(program: Program, now: number) {
  const state = windowState(program, now);
  if (state !== "open") throw new WindowClosedError(state);
}

/**
 * Saves an application's answers. A draft stays a draft; a submitted application is checked like a
 * submission, since what organisers see must stay complete. Refused outside the window.
 */
export async function saveApplication(
  program: Program,
  roleId: number,
  userId: number,
  draft: ApplicationDraft,
  { submit, now = Date.now() }: { submit: boolean; now?: number },
): Promise<
  { ok: true; application: Application; firstSubmission: boolean } | { ok: false; problems: Record<string, string> }
> {
  await assertOpen(program, now);
  const roles = await listRoles(program.id);
  if (!roles.some((r) => r.id === roleId))
    return { ok: false, problems: { role: "Choose one of the programme's roles." } };
  const questions = await listQuestions(program.id);
  const existing = await getApplication(program.id, roleId, userId);
  if (existing?.status === "withdrawn")
    return { ok: false, problems: { form: "You withdrew this application, so it can no longer be changed." } };
  const projects = await listProjects(program.id);
  const ranking = [...new Set(draft.projectRanking)].filter((id) => projects.some((pr) => pr.id === id));
  const finalSubmit = submit || existing?.status === "submitted";
  const problems = validateAnswers(questions, draft.answers, { requireAll: finalSubmit });
  if (Object.keys(problems).length) return { ok: false, problems };

  const a = schema.applications;
  const database = db();
  const values = {
    projectRanking: JSON.stringify(ranking),
    timezone: draft.timezone,
    availableFrom: draft.availableFrom,
    availableTo: draft.availableTo,
    updatedAt: now,
  };
  // A new application's row and its answers go in one batch, so a lock or crash between them cannot
  // leave an empty draft behind: the answers and the update find the row through this subquery.
  const applicationId = existing
    ? sql`${existing.id}`
    : sql`(SELECT ${a.id} FROM ${a} WHERE ${a.programId} = ${program.id} AND ${a.roleId} = ${roleId} AND ${a.userId} = ${userId})`;
  const firstSubmission = finalSubmit && (existing?.status ?? "draft") === "draft";
  const answerRows = questions
    .filter((q) => draft.answers[q.id] !== undefined)
    .map((q) => ({
      applicationId,
      questionId: q.id,
      value: encodeAnswer(draft.answers[q.id]!),
      updatedAt: now,
    }));
  const writes: BatchItem<"sqlite">[] = [
    ...(existing
      ? []
      : [
          database
            .insert(a)
            .values({ programId: program.id, roleId, userId, status: "draft", createdAt: now, ...values })
            .onConflictDoNothing(),
        ]),
    database
      .update(a)
      .set({
        ...values,
        // A submission racing this one keeps its own submission time.
        ...(firstSubmission
          ? { status: "submitted" as const, submittedAt: sql`coalesce(${a.submittedAt}, ${now})` }
          : {}),
      })
      // Re-checks the deadline inside the write itself, so a save racing the deadline cannot land after it.
      .where(and(eq(a.id, applicationId), sql`${now} <= ${program.closesAt}`)),
    ...answerRows.map((row) =>
      database
        .insert(schema.applicationAnswers)
        .values(row)
        .onConflictDoUpdate({
          target: [schema.applicationAnswers.applicationId, schema.applicationAnswers.questionId],
          set: { value: row.value, updatedAt: now },
        }),
    ),
  ];
  await database.batch(writes as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const saved = (await getApplication(program.id, roleId, userId))!;
  if (firstSubmission && saved.status === "submitted") {
    // Like interests on calls: the confirmation goes out after the answer, so Resend's retries never
    // hold up the page. The idempotency key (the application's id) keeps it to one email.
    const sending = sendSubmittedEmail(program, saved)
      .catch((error: unknown) =>
        log.error("application email failed", { applicationId: saved.id, ...errorFields(error) }),
      )
      .finally(() => emailsInFlight.delete(sending));
    emailsInFlight.add(sending);
  }
  return { ok: true, application: saved, firstSubmission };
}

const emailsInFlight = new Set<Promise<void>>();

/** Resolves once the confirmation emails already started have been sent (or given up). */
export async function flushApplicationEmails(): Promise<void> {
  await Promise.all(emailsInFlight);
}

async function sendSubmittedEmail(program: Program, application: Application) {
  const user = await db().select().from(schema.users).where(eq(schema.users.id, application.userId)).get();
  const role = await db()
    .select()
    .from(schema.programRoles)
    .where(eq(schema.programRoles.id, application.roleId))
    .get();
  if (!user?.email || !role) return;
  const email = applicationSubmittedEmail({
    name: user.name ?? user.login,
    programName: program.name,
    roleName: role.name,
    closesAt: program.closesAt,
    windowTimezone: program.windowTimezone,
    url: `${env().appUrl}/programs/${program.slug}/apply?role=${role.id}`,
    appUrl: env().appUrl,
  });
  await sendEmail({
    to: user.email,
    ...email,
    template: "programs-submitted",
    idempotencyKey: `program-application-submitted:${application.id}`,
    userId: user.id,
  });
}

/**
 * Withdraws an application (allowed at any time). Withdrawing after being offered a place is
 * declining it: the place goes to the top of that role's waitlist.
 */
export async function withdrawApplication(applicationId: number, userId: number, now = Date.now()) {
  const a = schema.applications;
  const application = await db()
    .select()
    .from(a)
    .where(and(eq(a.id, applicationId), eq(a.userId, userId)))
    .get();
  if (!application || application.status === "withdrawn") throw new Response("Not found", { status: 404 });
  const declining = application.decision === "accepted" && application.decisionSentAt !== null;
  await db().batch([
    db()
      .update(a)
      .set({ status: "withdrawn", withdrawnAt: now, updatedAt: now, ...(declining ? { declinedAt: now } : {}) })
      .where(and(eq(a.id, applicationId), sql`${a.status} <> 'withdrawn'`)),
    auditEntry(
      {
        actorUserId: userId,
        action: declining ? "program.application.decline" : "program.application.withdraw",
        objectType: "application",
        objectId: applicationId,
      },
      now,
    ),
  ]);
  if (declining) {
    const { promoteFromWaitlist } = await import("#app/models/programs/review.server.ts");
    await promoteFromWaitlist(application.programId, application.roleId, now);
  }
  return { declined: declining };
}

/** What the applicant sees: decisions show only once they were sent. */
export function visibleStatus(application: Pick<Application, "status" | "decision" | "decisionSentAt" | "declinedAt">) {
  if (application.declinedAt) return "declined";
  if (application.status === "withdrawn") return "withdrawn";
  if (application.decision && application.decisionSentAt) return application.decision;
  return application.status;
}

export async function listMyApplications(userId: number) {
  const a = schema.applications;
  const rows = await db()
    .select({
      application: a,
      programName: p.name,
      programSlug: p.slug,
      closesAt: p.closesAt,
      windowTimezone: p.windowTimezone,
      roleName: schema.programRoles.name,
    })
    .from(a)
    .innerJoin(p, eq(p.id, a.programId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(eq(a.userId, userId))
    .orderBy(desc(a.updatedAt))
    .all();
  return rows.map((r) => ({
    id: r.application.id,
    roleId: r.application.roleId,
    programName: r.programName,
    programSlug: r.programSlug,
    roleName: r.roleName,
    closesAt: r.closesAt,
    windowTimezone: r.windowTimezone,
    status: visibleStatus(r.application),
    submittedAt: r.application.submittedAt,
    updatedAt: r.application.updatedAt,
  }));
}

// ---------------------------------------------------------------------------------------------
// Alumni

/** Records that people completed a programme (organisers, once the season is over). */
export async function recordAlumni(programId: number, applicationIds: number[], actorUserId: number, now = Date.now()) {
  if (applicationIds.length === 0) return 0;
  const a = schema.applications;
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
