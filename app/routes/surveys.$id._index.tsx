// A maintainer survey: its introduction and questions; verified maintainers answer it once and may
// change their answers until it closes. Everyone else sees why they cannot answer.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors } from "#app/components/field.tsx";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { useNotices } from "#app/components/notices.ts";
import { SurveyQuestionField, type SurveyFieldValue } from "#app/components/survey-question-field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { listQuestions, requireVisibleSurvey } from "#app/models/surveys/surveys.server.ts";
import { mayAnswerSurveys, myResponse, saveResponse } from "#app/models/surveys/answers.server.ts";
import { answerForm, surveyStateLabels, type AnswerValue } from "#app/models/surveys/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.survey.title} · Roadies` : "Survey · Roadies" },
];

const shown = (answer: AnswerValue | undefined): SurveyFieldValue =>
  !answer ? undefined : "scale" in answer ? String(answer.scale) : "text" in answer ? answer.text : answer.choices;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey, user, writer, state } = await requireVisibleSurvey(request, params.id);
  const [questions, eligible, mine] = await Promise.all([
    listQuestions(survey.id),
    user ? mayAnswerSurveys(user.id) : false,
    user ? myResponse(survey.id, user.id) : null,
  ]);
  return {
    survey: {
      id: survey.id,
      title: survey.title,
      introHtml: survey.intro ? renderMarkdown(survey.intro) : "",
      opensAt: survey.opensAt,
      closesAt: survey.closesAt,
    },
    state,
    questions,
    signedIn: Boolean(user),
    zone: user?.timezone ?? null,
    eligible,
    writer,
    answeredAt: mine ? { submittedAt: mine.submittedAt, updatedAt: mine.updatedAt } : null,
    answers: Object.fromEntries(Object.entries(mine?.answers ?? {}).map(([id, a]) => [id, shown(a)])),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { survey } = await requireVisibleSurvey(request, params.id);
  const form = await readFormData(request);
  const questions = await listQuestions(survey.id);
  const submission = parseWithZod(form, { schema: answerForm(questions), disableAutoCoercion: true });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const problems = await saveResponse(survey, questions, user.id, submission.value);
  if (problems) {
    const fieldErrors = Object.fromEntries(Object.entries(problems).map(([id, p]) => [`q-${id}`, [p]]));
    return data(
      submission.reply({
        fieldErrors,
        formErrors: ["Your answers were not saved: please fix the questions marked below."],
      }),
      { status: 400 },
    );
  }
  return redirect(`/surveys/${survey.id}?saved=1`);
}

export default function SurveyPage() {
  const { survey, state, questions, signedIn, zone, eligible, writer, answeredAt, answers } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [query] = useSearchParams();
  const notices = useNotices(query);
  const refused = result?.status === "error" ? result : null;
  const kept = refused ? (refused.initialValue ?? {}) : null;
  const valueOf = (id: number): SurveyFieldValue =>
    kept ? (kept[`q-${id}`] as SurveyFieldValue) : (answers[String(id)] as SurveyFieldValue);
  const canAnswer = state === "open" && eligible;
  return (
    <section className="stack narrow">
      <p>
        <Link to="/surveys">← Maintainer surveys</Link>
      </p>
      <h1>{survey.title}</h1>
      <p>
        <span className={state === "open" ? "tag" : "tag tag-warning"}>{surveyStateLabels[state]}</span>{" "}
        {state === "scheduled" ? (
          <>
            Opens <LocalTime ms={survey.opensAt} zone={zone} />.{" "}
          </>
        ) : null}
        {state === "closed" ? (
          <>
            Closed <LocalTime ms={survey.closesAt} zone={zone} />.
          </>
        ) : (
          <>
            Closes <LocalTime ms={survey.closesAt} zone={zone} />.
          </>
        )}
      </p>
      {notices.get("saved") ? (
        <p className="alert" role="status">
          Thank you: your answers are saved. You can change them here until the survey closes.
        </p>
      ) : null}
      {writer ? (
        <p>
          <Link to={`/surveys/${survey.id}/edit`}>Edit this survey</Link>
        </p>
      ) : null}
      {survey.introHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: survey.introHtml }} /> : null}
      <p className="muted">
        Answers are shown only in aggregate, once the survey has closed, and only for questions at least five people
        answered. Written answers are read by the working group&rsquo;s admins only, without names.
      </p>
      {state === "closed" ? (
        <p>
          {answeredAt ? "You answered this survey. " : ""}
          <Link to={`/surveys/${survey.id}/results`}>See the results</Link>
        </p>
      ) : null}
      {state === "open" && !signedIn ? (
        <p className="card">
          This survey asks verified maintainers of Django packages.{" "}
          <Link to={`/login?next=${encodeURIComponent(`/surveys/${survey.id}`)}`}>Sign in to answer</Link>.
        </p>
      ) : null}
      {state === "open" && signedIn && !eligible ? (
        <p className="card">
          This survey asks verified maintainers of a package on Roadies, and your account is not one yet. If you
          maintain a Django package, <Link to="/packages/new">add it</Link> and confirm you maintain it to answer.
        </p>
      ) : null}
      {canAnswer && answeredAt ? (
        <p className="card">
          You answered on {formatDateTime(answeredAt.submittedAt)} (UTC)
          {answeredAt.updatedAt !== answeredAt.submittedAt
            ? `, last changed ${formatDateTime(answeredAt.updatedAt)}`
            : ""}
          . You can change your answers until the survey closes.
        </p>
      ) : null}
      {canAnswer ? (
        <Form method="post" className="stack" noValidate>
          <FormErrors errors={refused?.error?.[""]} />
          {questions.map((q, i) => (
            <SurveyQuestionField
              key={q.id}
              question={q}
              number={i + 1}
              value={valueOf(q.id)}
              problem={refused?.error?.[`q-${q.id}`]?.[0]}
            />
          ))}
          <p>
            <button type="submit" className="button">
              {answeredAt ? "Save my changed answers" : "Send my answers"}
            </button>
          </p>
        </Form>
      ) : state !== "closed" ? (
        <>
          <h2>The questions</h2>
          <ol className="stack">
            {questions.map((q) => (
              <li key={q.id}>{q.prompt}</li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
