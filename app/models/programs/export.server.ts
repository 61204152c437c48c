// The CSV export of a programme's applications with answers and scores, for organisers (only the
// applications they may review). The review page's rules hold here too: others' scores and the means
// only where the viewer may see them (`canSeeOthersScores`), names, logins and links hidden under
// anonymised review (`applicantIdentity`). Every cell goes through toCsv, which guards against formulas.
import { asc, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { toCsv, type CsvValue } from "#app/utils/csv.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import { applicantIdentity, canSeeOthersScores, maskAnswer, reviewableBy } from "#app/models/programs/review.server.ts";
import type { Program } from "#db/schema.ts";

const a = schema.applications;
const s = schema.applicationScores;

/**
 * Every submitted or withdrawn application the viewer may review, with answers and scores, as CSV.
 * Where the viewer has not scored an application (and its decision is not sent), the count of
 * reviews, the mean and the per-criterion means say "hidden until you score".
 */
export async function exportApplicationsCsv(program: Program, viewerId: number): Promise<string> {
  const rubric = program.rubric;
  const questions = await listQuestions(program.id, { includeArchived: true });
  const rows = await db()
    .select({
      application: a,
      login: schema.users.login,
      name: schema.users.name,
      roleName: schema.programRoles.name,
    })
    .from(a)
    .innerJoin(schema.users, eq(schema.users.id, a.userId))
    .innerJoin(schema.programRoles, eq(schema.programRoles.id, a.roleId))
    .where(reviewableBy(program.id, viewerId))
    .orderBy(asc(a.id))
    .all();
  const ids = rows.map((r) => r.application.id);
  const scores = ids.length ? await db().select().from(s).where(inArray(s.applicationId, ids)).all() : [];
  const answers = ids.length
    ? await db()
        .select()
        .from(schema.applicationAnswers)
        .where(inArray(schema.applicationAnswers.applicationId, ids))
        .all()
    : [];
  const projects = await db()
    .select({ id: schema.mentoringProjects.id, title: schema.mentoringProjects.title })
    .from(schema.mentoringProjects)
    .where(eq(schema.mentoringProjects.programId, program.id))
    .all();
  const header = [
    "application_id",
    "login",
    "name",
    "role",
    "status",
    "decision",
    "decision_sent",
    "submitted_at",
    "reviews",
    "your_score",
    "mean_score",
    ...rubric.map((c) => `score_${c.id}`),
    "project_preferences",
    ...questions.map((q) => q.label + (q.archivedAt ? " (removed)" : "")),
  ];
  const table: CsvValue[][] = [header];
  const HIDDEN = "hidden until you score";
  for (const r of rows) {
    const all = scores.filter((x) => x.applicationId === r.application.id);
    const own = all.find((x) => x.reviewerUserId === viewerId);
    const seeOthers = canSeeOthersScores({ hasScored: own !== undefined }, r.application);
    const parsed = all.map((x) => x.scores);
    const mean = (values: number[]) =>
      values.length ? Math.round((values.reduce((t, v) => t + v, 0) / values.length) * 100) / 100 : "";
    const person = { login: r.login, name: r.name };
    const identity = applicantIdentity(program, r.application, person);
    const answerOf = (qid: number) =>
      maskAnswer(
        answers.find((x) => x.applicationId === r.application.id && x.questionId === qid)?.value ?? "",
        identity,
        person,
      );
    table.push([
      r.application.id,
      identity.login ?? "",
      identity.name,
      r.roleName,
      r.application.declinedAt ? "declined" : r.application.status,
      r.application.decision ?? "",
      r.application.decisionSentAt ? new Date(r.application.decisionSentAt).toISOString() : "",
      r.application.submittedAt ? new Date(r.application.submittedAt).toISOString() : "",
      seeOthers ? all.length : HIDDEN,
      own ? own.total : "",
      seeOthers ? mean(all.map((x) => x.total)) : HIDDEN,
      ...rubric.map((c) =>
        seeOthers ? mean(parsed.map((x) => x[c.id]).filter((v): v is number => typeof v === "number")) : HIDDEN,
      ),
      r.application.projectRanking.map((id) => projects.find((pr) => pr.id === id)?.title ?? `#${id}`).join(" > "),
      ...questions.map((q) => answerOf(q.id)),
    ]);
  }
  return toCsv(table);
}
