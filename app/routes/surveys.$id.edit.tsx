// The working group edits a survey: its details and window, its questions (fixed once someone has
// answered), closing it early and deleting it while nobody has answered (both confirmed first).
import { QuestionOrderButtons } from "#app/components/question-order.tsx";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import type { z } from "zod";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { useNotices } from "#app/components/notices.ts";
import { SurveyFields } from "#app/components/survey-fields.tsx";
import {
  closeSurveyNow,
  countResponses,
  deleteSurvey,
  listQuestions,
  moveQuestion,
  removeQuestion,
  requireSurveyWriter,
  saveQuestion,
  surveyState,
  SurveyInputError,
  updateSurvey,
  windowDays,
  windowOf,
} from "#app/models/surveys/surveys.server.ts";
import {
  QuestionForm,
  questionKindLabels,
  SurveyForm,
  surveyQuestionKinds,
  surveyStateLabels,
} from "#app/models/surveys/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { parseId } from "#app/utils/http.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";
import type { Survey } from "#db/schema.ts";

export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Edit: ${data.survey.title} · Roadies` : "Edit survey · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, survey } = await requireSurveyWriter(request, params.id);
  const [questions, responses] = await Promise.all([listQuestions(survey.id), countResponses(survey.id)]);
  const query = new URL(request.url).searchParams;
  return {
    survey: {
      id: survey.id,
      title: survey.title,
      intro: survey.intro,
      opensAt: survey.opensAt,
      closesAt: survey.closesAt,
    },
    days: windowDays(survey),
    state: surveyState(survey),
    questions,
    responses,
    zone: user.timezone ?? null,
    query: {
      created: query.has("created"),
      saved: query.has("saved"),
      confirmClose: query.has("close"),
      confirmDelete: query.has("delete"),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, survey } = await requireSurveyWriter(request, params.id);
  const form = await readFormData(request);
  const intent = String(form.get("intent") ?? "");
  switch (intent) {
    case "details":
      return saveDetails(form, survey, user.id);
    case "question":
      return saveOneQuestion(form, survey, user.id);
    case "remove":
      await removeQuestion(survey, parseId(form.get("questionId")), user.id);
      return redirect(`/surveys/${survey.id}/edit#questions`);
    case "up":
    case "down":
      await moveQuestion(survey, parseId(form.get("questionId")), intent);
      return redirect(`/surveys/${survey.id}/edit#questions`);
    case "close":
      await closeSurveyNow(survey, user.id);
      return redirect(`/surveys/${survey.id}/results`);
    case "delete":
      await deleteSurvey(survey, user.id);
      return redirect("/surveys?deleted=1");
    default:
      throw new Response("Choose what to do with the survey.", { status: 400 });
  }
}

async function saveDetails(form: FormData, survey: Survey, userId: number) {
  const submission = parseWithZod(form, { schema: SurveyForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  try {
    await updateSurvey(survey, { title: v.title, intro: v.intro ?? "", ...windowOf(v.opensOn, v.closesOn) }, userId);
  } catch (error) {
    if (error instanceof SurveyInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(`/surveys/${survey.id}/edit?saved=1`);
}

async function saveOneQuestion(form: FormData, survey: Survey, userId: number) {
  const submission = parseWithZod(form, { schema: QuestionForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await saveQuestion(survey, submission.value.questionId, submission.value.input, userId);
  return redirect(`/surveys/${survey.id}/edit#questions`);
}

type Question = ReturnType<typeof useLoaderData<typeof loader>>["questions"][number];

function QuestionEditor({ question }: { question?: Question }) {
  const result = useActionData<typeof action>();
  const reply = replyFor(result, "question");
  const mine = reply?.initialValue?.questionId === (question ? String(question.id) : undefined) ? reply : undefined;
  const [form, fields] = useSchemaForm<typeof QuestionForm, z.input<typeof QuestionForm>>(QuestionForm, {
    id: question ? `question-${question.id}` : "question-new",
    lastResult: mine,
    defaultValue: question
      ? {
          intent: "question",
          questionId: String(question.id),
          kind: question.kind,
          prompt: question.prompt,
          help: question.help,
          required: question.required,
          options: question.options.join("\n"),
          scaleLow: question.scaleLow,
          scaleHigh: question.scaleHigh,
        }
      : { intent: "question", kind: "single_choice", required: false },
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <input type="hidden" name="intent" value="question" />
      {question ? <input type="hidden" name="questionId" value={question.id} /> : null}
      <FormErrors errors={form.errors} />
      <Field field={fields.prompt} label="Question">
        {(aria) => <input {...getInputProps(fields.prompt, { type: "text" })} {...aria} />}
      </Field>
      <Field field={fields.kind} label="Kind of answer">
        {(aria) => (
          <select {...getSelectProps(fields.kind)} {...aria}>
            {surveyQuestionKinds.map((k) => (
              <option key={k} value={k}>
                {questionKindLabels[k]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field field={fields.help} label="Hint (optional)">
        {(aria) => <input {...getInputProps(fields.help, { type: "text" })} {...aria} />}
      </Field>
      <Field field={fields.options} label="Options, one per line (choice questions)">
        {(aria) => <textarea {...getTextareaProps(fields.options)} {...aria} rows={4} />}
      </Field>
      <div className="grid survey-scale-ends">
        <Field field={fields.scaleLow} label="What 1 means (scale questions)">
          {(aria) => <input {...getInputProps(fields.scaleLow, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.scaleHigh} label="What 5 means (scale questions)">
          {(aria) => <input {...getInputProps(fields.scaleHigh, { type: "text" })} {...aria} />}
        </Field>
      </div>
      <div className="field field-checkbox">
        <input {...getInputProps(fields.required, { type: "checkbox" })} />
        <label htmlFor={fields.required.id}>Required</label>
      </div>
      <p>
        <button type="submit" className="button">
          {question ? "Save question" : "Add question"}
        </button>
      </p>
    </Form>
  );
}

export default function EditSurvey() {
  const { survey, days, state, questions, responses, zone, query } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const notices = useNotices(search);
  const detailsReply = replyFor(result, "details");
  const failedQuestion = replyFor(result, "question")?.initialValue?.questionId;
  const questionsFixed = responses > 0 || state === "closed";
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/surveys/${survey.id}`}>← {survey.title}</Link>
      </p>
      <h1>Edit: {survey.title}</h1>
      <p>
        <span className={state === "open" ? "tag" : "tag tag-warning"}>{surveyStateLabels[state]}</span> Opens{" "}
        <LocalTime ms={survey.opensAt} zone={zone} />, closes <LocalTime ms={survey.closesAt} zone={zone} />.{" "}
        {responses} {responses === 1 ? "response" : "responses"}.
      </p>
      {notices.get("created") ? (
        <p className="alert" role="status">
          Survey created. Add its questions below; it opens to verified maintainers on its opening day.
        </p>
      ) : null}
      {notices.get("saved") ? (
        <p className="alert" role="status">
          Saved.
        </p>
      ) : null}

      {state !== "closed" ? (
        <>
          <h2>Title, introduction and window</h2>
          <SurveyFields
            lastResult={detailsReply}
            defaultValue={{ title: survey.title, intro: survey.intro, ...days }}
            submitLabel="Save details"
            openingFixed={state === "open"}
          />
        </>
      ) : (
        <p className="card">
          This survey has closed: its answers and results are final.{" "}
          <Link to={`/surveys/${survey.id}/results`}>See the results</Link>.
        </p>
      )}

      <h2 id="questions">Questions</h2>
      {questionsFixed ? (
        <p className="muted">
          {state === "closed" ? "The survey has closed." : "People have answered already."} The questions are fixed, so
          that every answer fits the question it answers.
        </p>
      ) : null}
      {questions.length === 0 ? <p className="muted">No questions yet.</p> : null}
      <ol className="stack">
        {questions.map((q, i) => (
          <li key={q.id} className="card stack">
            <h3>
              {q.prompt}{" "}
              <span className="muted">
                ({questionKindLabels[q.kind]}
                {q.required ? ", required" : ", optional"})
              </span>
            </h3>
            {q.kind === "scale" ? (
              <p className="muted">
                1 = {q.scaleLow}, 5 = {q.scaleHigh}
              </p>
            ) : q.options.length ? (
              <p className="muted">{q.options.join(" · ")}</p>
            ) : null}
            {questionsFixed ? null : (
              <>
                <QuestionOrderButtons
                  questionId={q.id}
                  label={q.prompt}
                  first={i === 0}
                  last={i === questions.length - 1}
                />
                <details open={failedQuestion === String(q.id)}>
                  <summary>
                    Edit<span className="visually-hidden">: {q.prompt}</span>
                  </summary>
                  <QuestionEditor question={q} />
                </details>
              </>
            )}
          </li>
        ))}
      </ol>
      {questionsFixed ? null : (
        <>
          <h3>Add a question</h3>
          <QuestionEditor />
        </>
      )}

      {state === "open" ? (
        <>
          <h2>Close early</h2>
          {query.confirmClose ? (
            <Form method="post" className="card stack" id="confirm-close">
              <p>
                Close the survey now? Nobody can answer or change answers afterwards, and the results are shown to
                everyone. This cannot be undone.
              </p>
              <p className="actions">
                <button type="submit" name="intent" value="close" className="button">
                  Yes, close the survey now
                </button>
                <Link to={`/surveys/${survey.id}/edit`}>Keep it open</Link>
              </p>
            </Form>
          ) : (
            <p>
              <Link to={`/surveys/${survey.id}/edit?close=1#confirm-close`}>Close the survey now…</Link>
            </p>
          )}
        </>
      ) : null}
      {responses === 0 ? (
        <>
          <h2>Delete</h2>
          {query.confirmDelete ? (
            <Form method="post" className="card stack" id="confirm-delete">
              <p>Delete this survey and its questions? This cannot be undone.</p>
              <p className="actions">
                <button type="submit" name="intent" value="delete" className="button button-danger">
                  Yes, delete the survey
                </button>
                <Link to={`/surveys/${survey.id}/edit`}>Keep it</Link>
              </p>
            </Form>
          ) : (
            <p>
              <Link to={`/surveys/${survey.id}/edit?delete=1#confirm-delete`}>Delete this survey…</Link>
            </p>
          )}
        </>
      ) : null}
    </section>
  );
}
