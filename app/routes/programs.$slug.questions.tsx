// Organisers: the application form builder. Questions can be added, edited, reordered and removed;
// once the window has opened, a removed question is archived so answers already given stay readable.
import { QuestionOrderButtons } from "#app/components/question-order.tsx";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { ProgramInputError } from "#app/models/programs/programs.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import {
  addQuestion,
  archiveQuestion,
  listQuestions,
  moveQuestion,
  updateQuestion,
} from "#app/models/programs/questions.server.ts";
import { questionKinds } from "#app/models/programs/constants.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { parseId } from "#app/utils/http.server.ts";
import type { Program } from "#db/schema.ts";

export const meta: MetaFunction = () => [{ title: "Application questions · Roadies" }];

const kindLabels: Record<(typeof questionKinds)[number], string> = {
  short_text: "Short text",
  long_text: "Long text",
  single_choice: "Single choice",
  multiple_choice: "Multiple choice",
  url: "Web address (URL)",
  yes_no: "Yes or no",
};

const QuestionForm = z
  .object({
    questionId: z.coerce.number().int().positive().optional(),
    kind: z.enum(questionKinds, { error: "Choose the kind of answer." }),
    label: z
      .string({ error: "Write the question." })
      .trim()
      .min(3, "Write the question.")
      .max(300, "Keep the question under 300 characters."),
    help: z.string().trim().max(500, "Keep the hint under 500 characters.").optional(),
    required: z.boolean().default(false),
    maxLength: z.coerce
      .number()
      .int()
      .min(1, "At least 1 character.")
      .max(20000, "At most 20000 characters.")
      .optional(),
    options: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const options = (v.options ?? "")
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean);
    if ((v.kind === "single_choice" || v.kind === "multiple_choice") && options.length < 2)
      ctx.addIssue({ code: "custom", path: ["options"], message: "Give at least two options, one per line." });
  });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgramOrganiser(request, params.slug);
  const questions = await listQuestions(program.id);
  return {
    program: { slug: program.slug, name: program.name, opened: Date.now() >= program.opensAt },
    questions,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const form = await readFormData(request);
  const intent = form.get("intent");
  switch (intent) {
    case "remove":
      await archiveQuestion(program, parseId(String(form.get("questionId"))), user.id);
      return redirect(`/programs/${program.slug}/questions`);
    case "up":
    case "down":
      await moveQuestion(program, parseId(String(form.get("questionId"))), intent);
      return redirect(`/programs/${program.slug}/questions`);
    default:
      return saveQuestion(form, program, user.id);
  }
}

/** Adds a question, or edits the one named by `questionId`. */
async function saveQuestion(form: FormData, program: Program, userId: number) {
  const submission = parseWithZod(form, { schema: QuestionForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const input = {
    kind: v.kind,
    label: v.label,
    help: v.help ?? "",
    required: v.required,
    maxLength: v.maxLength ?? null,
    options: (v.options ?? "")
      .split("\n")
      .map((o) => o.trim())
      .filter(Boolean),
  };
  try {
    if (v.questionId) await updateQuestion(program, v.questionId, input, userId);
    else await addQuestion(program.id, input, userId);
  } catch (error) {
    if (error instanceof ProgramInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(`/programs/${program.slug}/questions`);
}

type Question = ReturnType<typeof useLoaderData<typeof loader>>["questions"][number];

function QuestionEditor({ question, opened }: { question?: Question; opened: boolean }) {
  const lastResult = useActionData<typeof action>();
  const formId = question ? `question-${question.id}` : "question-new";
  const [form, fields] = useSchemaForm<typeof QuestionForm, z.input<typeof QuestionForm>>(QuestionForm, {
    id: formId,
    lastResult:
      lastResult &&
      "initialValue" in lastResult &&
      lastResult.initialValue?.questionId === (question ? String(question.id) : undefined)
        ? lastResult
        : undefined,
    defaultValue: question
      ? {
          questionId: String(question.id),
          kind: question.kind,
          label: question.label,
          help: question.help,
          required: question.required,
          maxLength: question.maxLength ? String(question.maxLength) : undefined,
          options: question.options.join("\n"),
        }
      : { kind: "short_text", required: false },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      {question ? <input type="hidden" name="questionId" value={question.id} /> : null}
      <Field field={fields.label} label="Question">
        {(aria) => <input {...getInputProps(fields.label, { type: "text" })} {...aria} />}
      </Field>
      <Field
        field={fields.kind}
        label="Kind of answer"
        hint={question && opened ? "Fixed once applications have opened." : undefined}
      >
        {(aria) => (
          <select {...getSelectProps(fields.kind)} {...aria}>
            {questionKinds.map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field field={fields.help} label="Hint (optional)">
        {(aria) => <input {...getInputProps(fields.help, { type: "text" })} {...aria} />}
      </Field>
      <Field field={fields.options} label="Options, one per line (choice questions)">
        {(aria) => <textarea {...getTextareaProps(fields.options)} {...aria} rows={3} />}
      </Field>
      <Field field={fields.maxLength} label="Length limit in characters (optional)">
        {(aria) => <input {...getInputProps(fields.maxLength, { type: "number" })} {...aria} min={1} />}
      </Field>
      <div className="field field-checkbox">
        <input {...getInputProps(fields.required, { type: "checkbox" })} />
        <label htmlFor={fields.required.id}>Required</label>
      </div>
      <p>
        <button type="submit" name="intent" value="save" className="button">
          {question ? "Save question" : "Add question"}
        </button>
      </p>
    </Form>
  );
}

export default function Questions() {
  const { program, questions } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  // Reopen the editor whose save was refused, so its messages are visible.
  const failedId = lastResult && "initialValue" in lastResult ? lastResult.initialValue?.questionId : undefined;
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Application questions</h1>
      {program.opened ? (
        <p className="alert">
          Applications have opened. Edits apply to new answers; answers already given are kept, and removed questions
          stay visible to reviewers next to the answers given to them.
        </p>
      ) : null}
      {questions.length === 0 ? <p className="muted">No questions yet.</p> : null}
      <ol className="stack">
        {questions.map((q, i) => (
          <li key={q.id} className="card stack">
            <h2 className="h3">
              {q.label}{" "}
              <span className="muted">
                ({kindLabels[q.kind]}
                {q.required ? ", required" : ""})
              </span>
            </h2>
            <QuestionOrderButtons questionId={q.id} label={q.label} first={i === 0} last={i === questions.length - 1} />
            <details open={failedId === String(q.id)}>
              <summary>
                Edit<span className="visually-hidden">: {q.label}</span>
              </summary>
              <QuestionEditor question={q} opened={program.opened} />
            </details>
          </li>
        ))}
      </ol>
      <h2>Add a question</h2>
      <QuestionEditor opened={program.opened} />
    </section>
  );
}
