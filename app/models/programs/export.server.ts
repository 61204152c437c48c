// The CSV export of a programme's applications with answers and scores, for organisers (only the
// applications they may review). Every cell goes through toCsv, which guards against formulas.
import { asc, eq, inArray } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { toCsv, type CsvValue } from "#app/utils/csv.ts";
import { listQuestions } from "#app/models/programs/questions.server.ts";
import { reviewableBy } from "#app/models/programs/review.server.ts";
import type { Program } from "#db/schema.ts";

const a = schema.applications;
const s = schema.applicationScores;

/** Every submitted or withdrawn application with answers and scores, as CSV. */
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
    "mean_score",
    ...rubric.map((c) => `score_${c.id}`),
    "project_preferences",
    ...questions.map((q) => q.label + (q.archivedAt ? " (removed)" : "")),
  ];
  const table: CsvValue[][] = [header];
  for (const r of rows) {
    const mine = scores.filter((x) => x.applicationId === r.application.id);
    const parsed = mine.map((x) => x.scores);
    const mean = (values: number[]) =>
      values.length ? Math.round((values.reduce((t, v) => t + v, 0) / values.length) * 100) / 100 : "";
    const answerOf = (qid: number) =>
      answers.find((x) => x.applicationId === r.application.id && x.questionId === qid)?.value ?? "";
    table.push([
      r.application.id,
      r.login,
      r.name ?? "",
      r.roleName,
      r.application.declinedAt ? "declined" : r.application.status,
      r.application.decision ?? "",
      r.application.decisionSentAt ? new Date(r.application.decisionSentAt).toISOString() : "",
      r.application.submittedAt ? new Date(r.application.submittedAt).toISOString() : "",
      mine.length,
      mean(mine.map((x) => x.total)),
      ...rubric.map((c) => mean(parsed.map((x) => x[c.id]).filter((v): v is number => typeof v === "number"))),
      r.application.projectRanking.map((id) => projects.find((pr) => pr.id === id)?.title ?? `#${id}`).join(" > "),
      ...questions.map((q) => answerOf(q.id)),
    ]);
  }
  return toCsv(table);
}
