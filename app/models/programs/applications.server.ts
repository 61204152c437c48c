// Applying to a programme: one application per role per person, saved as a draft or submitted
// inside the window (the server re-checks the deadline in the write), withdrawn at any time, and
// the applicant's own list. A place declined after an offer goes to the waitlist.
import { and, desc, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { db, schema } from "#app/utils/db.server.ts";
import { deliveryAddress } from "#app/utils/email-address.server.ts";
import { env } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { sendEmail } from "#app/utils/email.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { makeThreadWrite } from "#app/models/conversations/threads.server.ts";
import { listRoles } from "#app/models/programs/programs.server.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import { listProjects } from "#app/models/programs/projects.server.ts";
import { encodeAnswer, validateAnswers, type AnswerValues } from "#app/models/programs/answers.server.ts";
import { promoteFromWaitlist } from "#app/models/programs/waitlist.server.ts";
import { formatInZone, windowState } from "#app/models/programs/window.ts";
import { applicationSubmittedEmail } from "#emails/programs-submitted.tsx";
import type { Application, Program } from "#db/schema.ts";

const p = schema.programs;

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

/** The person's applications to a programme, one per role at most. */
export function listOwnApplications(programId: number, userId: number) {
  const a = schema.applications;
  return db()
    .select()
    .from(a)
    .where(and(eq(a.programId, programId), eq(a.userId, userId)))
    .all();
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
    projectRanking: ranking,
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
    // Submitting begins the conversation of the organisers and the applicant (nothing when the
    // submission above did not apply).
    ...(firstSubmission ? [makeThreadWrite("application", applicationId, now, database)] : []),
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
  const user = await db()
    .select({ id: schema.users.id, login: schema.users.login, name: schema.users.name, email: deliveryAddress })
    .from(schema.users)
    .where(eq(schema.users.id, application.userId))
    .get();
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
    closesInZone: formatInZone(program.closesAt, program.windowTimezone),
    url: `${env().appUrl}/programs/${program.slug}/apply?role=${role.id}`,
    appUrl: env().appUrl,
  });
  await sendEmail({
    to: user.email,
    ...email,
    template: "programs-submitted",
    kind: "programs-submitted",
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
  if (!application || application.status === "withdrawn") throw notFound();
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
  if (declining) await promoteFromWaitlist(application.programId, application.roleId, now);
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
    withdrawnAt: r.application.withdrawnAt,
  }));
}
