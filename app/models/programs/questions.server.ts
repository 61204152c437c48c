// The application form of a programme: its questions, added, edited, reordered and archived by
// organisers. Questions are archived rather than deleted, so answers already given stay readable.
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { auditEntry } from "#app/models/moderation/audit.server.ts";
import { ProgramInputError } from "#app/models/programs/programs.server.ts";
import type { Program, QuestionKind } from "#db/schema.ts";

export type QuestionInput = {
  kind: QuestionKind;
  label: string;
  help?: string;
  required: boolean;
  maxLength?: number | null;
  options?: string[];
};

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
      options: input.options ?? [],
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
  if (!existing) throw notFound();
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
        options: input.options ?? [],
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
