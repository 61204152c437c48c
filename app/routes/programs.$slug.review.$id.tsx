// Organisers: one application: its answers, the reviewer's rubric scores (others' scores appear
// once you have given yours), private comments, and the decision.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors } from "#app/components/field.tsx";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { setDecision } from "#app/models/programs/decisions.server.ts";
import { addComment, getApplicationForReview, scoreApplication } from "#app/models/programs/review.server.ts";
import { reviewForm } from "#app/models/programs/review-forms.ts";
import { applicationStateLabel, decisionLabels } from "#app/models/programs/labels.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { zoneName } from "#app/utils/time.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Application from ${data.application.applicant.name} · Roadies` : "Not found · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const review = await getApplicationForReview(program, parseId(params.id), user.id);
  if (!review) throw notFound();
  const a = review.application;
  const zone = a.timezone ?? review.userTimezone;
  return {
    // The organisers' conversation with the applicant (not for an admin who holds no organiser seat).
    threadHref: review.threadHref,
    program: { slug: program.slug, name: program.name },
    rubric: program.rubric,
    application: {
      id: a.id,
      applicant: review.applicant,
      roleName: review.roleName,
      status: a.declinedAt ? "declined" : a.status,
      decision: a.decision,
      decisionSent: a.decisionSentAt !== null,
      timezone: zone ? zoneName(zone, Date.now()) : null,
      availability:
        a.availableFrom !== null && a.availableTo !== null ? `${a.availableFrom}:00–${a.availableTo}:00` : null,
    },
    questions: review.questions.map((q) => ({
      id: q.id,
      label: q.label,
      removed: q.archivedAt !== null,
      answer: review.answers[q.id] ?? null,
      kind: q.kind,
      options: q.options,
    })),
    myScore: review.myScore,
    otherScores: review.otherScores,
    otherScoreCount: review.otherScoreCount,
    comments: review.comments,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const id = parseId(params.id);
  const submission = parseWithZod(await readFormData(request), { schema: reviewForm(program.rubric) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const back = `/programs/${program.slug}/review/${id}`;
  const value = submission.value;
  switch (value.intent) {
    case "score": {
      const result = await scoreApplication(program, id, user.id, value.scores);
      if (!result.ok) {
        const fieldErrors = Object.fromEntries(Object.entries(result.problems).map(([c, p]) => [`score-${c}`, [p]]));
        const reply = submission.reply({ formErrors: ["Score every criterion from 1 to 5."], fieldErrors });
        return data(reply, { status: 400 });
      }
      return redirect(`${back}?scored=1`);
    }
    case "comment":
      await addComment(program.id, id, user.id, value.body);
      return redirect(`${back}#comments`);
    case "decide": {
      const result = await setDecision(program.id, id, value.decision, user.id);
      if (!result.ok) return data(submission.reply({ formErrors: [result.problem] }), { status: 409 });
      return redirect(`${back}?decided=1`);
    }
  }
}

function answerText(answer: string | string[] | null) {
  if (answer === null) return <span className="muted">No answer</span>;
  if (Array.isArray(answer)) return answer.length ? answer.join(", ") : <span className="muted">None chosen</span>;
  return answer || <span className="muted">No answer</span>;
}

export default function ReviewApplication() {
  const { program, rubric, application, questions, myScore, otherScores, otherScoreCount, comments, threadHref } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problemOf = (name: string) => result?.error?.[name]?.[0];
  return (
    <article className="stack">
      <p>
        <Link to={`/programs/${program.slug}/review`}>← All applications</Link>
      </p>
      <h1>
        {application.applicant.name}{" "}
        {application.applicant.login ? <span className="muted">@{application.applicant.login}</span> : null}
      </h1>
      <p>
        {application.roleName} · status: <span className="tag">{applicationStateLabel(application.status)}</span>
        {application.decision ? (
          <>
            {" "}
            · decision: <span className="tag">{decisionLabels[application.decision]}</span>{" "}
            {application.decisionSent ? "(sent)" : "(not sent yet)"}
          </>
        ) : null}
      </p>
      {threadHref ? (
        <p>
          <Link to={threadHref}>The organisers&rsquo; conversation with the applicant</Link>
        </p>
      ) : null}
      {application.applicant.anonymised ? (
        <p className="muted">
          Anonymised review: the applicant&rsquo;s name, login and links stay hidden until their decision is sent.
        </p>
      ) : null}
      <p className="muted">
        Time zone: {application.timezone ?? "not given"} · usually free: {application.availability ?? "not given"}
      </p>
      <FormErrors errors={result?.error?.[""]} />
      <section aria-labelledby="answers-heading" className="stack">
        <h2 id="answers-heading">Answers</h2>
        <dl className="answers">
          {questions.map((q) => (
            <div key={q.id}>
              <dt>
                {q.label}
                {q.removed ? <span className="muted"> (question since removed)</span> : null}
              </dt>
              <dd>{answerText(q.answer)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <section aria-labelledby="score-heading" className="card stack">
        <h2 id="score-heading">Your score</h2>
        {rubric.length === 0 ? (
          <p className="muted">This programme has no rubric yet.</p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="score" />
            {rubric.map((c) => (
              <fieldset
                key={c.id}
                className="field score-scale"
                aria-describedby={problemOf(`score-${c.id}`) ? `score-${c.id}-error` : undefined}
              >
                <legend>
                  {c.label} <span className="muted">(weight {c.weight})</span>
                </legend>
                {[1, 2, 3, 4, 5].map((v) => (
                  <span key={v} className="field-checkbox">
                    <input
                      type="radio"
                      id={`score-${c.id}-${v}`}
                      name={`score-${c.id}`}
                      value={v}
                      defaultChecked={myScore?.scores[c.id] === v}
                    />
                    <label htmlFor={`score-${c.id}-${v}`}>{v}</label>
                  </span>
                ))}
                {problemOf(`score-${c.id}`) ? (
                  <p id={`score-${c.id}-error`} className="field-error">
                    {problemOf(`score-${c.id}`)}
                  </p>
                ) : null}
              </fieldset>
            ))}
            <p>
              <button type="submit" className="button">
                {myScore ? "Update my score" : "Save my score"}
              </button>
            </p>
          </Form>
        )}
        {myScore ? <p>Your weighted score: {myScore.total}</p> : null}
        <h3>Other reviewers</h3>
        {otherScores === null ? (
          <p className="muted">
            {otherScoreCount} other {otherScoreCount === 1 ? "reviewer has" : "reviewers have"} scored. Their scores are
            hidden until you give yours, so that each review stays independent.
          </p>
        ) : otherScores.length === 0 ? (
          <p className="muted">No one else has scored this application yet.</p>
        ) : (
          <ul>
            {otherScores.map((s) => (
              <li key={s.login}>
                @{s.login}: {s.total} ({rubric.map((c) => `${c.label} ${s.scores[c.id] ?? "–"}`).join(", ")})
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="decision-heading" className="card stack">
        <h2 id="decision-heading">Decision</h2>
        {application.decisionSent ? (
          <p>
            The decision ({application.decision ? decisionLabels[application.decision] : "none"}) was sent to the
            applicant and can no longer change.
          </p>
        ) : application.status !== "submitted" ? (
          <p className="muted">The applicant withdrew this application.</p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="decide" />
            <fieldset className="field">
              <legend>Decision (sent to the applicant only when you send decisions)</legend>
              {[
                ["accepted", "Accept"],
                ["waitlisted", "Waitlist"],
                ["rejected", "Reject"],
                ["none", "No decision yet"],
              ].map(([value, label]) => (
                <span key={value} className="field-checkbox">
                  <input
                    type="radio"
                    id={`decision-${value}`}
                    name="decision"
                    value={value}
                    defaultChecked={(application.decision ?? "none") === value}
                  />
                  <label htmlFor={`decision-${value}`}>{label}</label>
                </span>
              ))}
            </fieldset>
            <p>
              <button type="submit" className="button">
                Save decision
              </button>
            </p>
          </Form>
        )}
      </section>
      <section aria-labelledby="comments-heading" className="stack" id="comments">
        <h2 id="comments-heading">Private comments</h2>
        <p className="muted">Only this programme&rsquo;s organisers see these.</p>
        {comments.length ? (
          <ul className="stack">
            {comments.map((c) => (
              <li key={c.id} className="card">
                <p className="muted">@{c.login ?? "former organiser"}</p>
                <p className="pre-wrap">{c.body}</p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No comments yet.</p>
        )}
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="comment" />
          <div className="field">
            <label htmlFor="comment-body">Add a private comment</label>
            <textarea
              id="comment-body"
              name="body"
              rows={3}
              aria-invalid={problemOf("body") ? true : undefined}
              aria-describedby={problemOf("body") ? "comment-body-error" : undefined}
            />
            {problemOf("body") ? (
              <p id="comment-body-error" className="field-error">
                {problemOf("body")}
              </p>
            ) : null}
          </div>
          <p>
            <button type="submit" className="button button-secondary">
              Add comment
            </button>
          </p>
        </Form>
      </section>
    </article>
  );
}
