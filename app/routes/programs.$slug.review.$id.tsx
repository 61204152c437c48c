// Organisers: one application: its answers, the reviewer's rubric scores (others' scores appear
// once you have given yours), private comments, and the decision.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrors } from "#app/components/field.tsx";
import {
  addComment,
  getApplicationForReview,
  scoreApplication,
  setDecision,
} from "#app/models/programs/review.server.ts";
import { parseOptions, parseRubric, requireProgramOrganiser } from "#app/models/programs/programs.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Application from @${data.application.login} · Roadies` : "Not found · Roadies" },
];

function applicationId(raw: string | undefined) {
  const id = Number(raw);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const review = await getApplicationForReview(program.id, applicationId(params.id), user.id);
  if (!review) throw new Response("Not found", { status: 404 });
  const a = review.application;
  return {
    program: { slug: program.slug, name: program.name },
    rubric: parseRubric(program),
    application: {
      id: a.id,
      login: review.login,
      name: review.name,
      roleName: review.roleName,
      status: a.declinedAt ? "declined" : a.status,
      decision: a.decision,
      decisionSent: a.decisionSentAt !== null,
      timezone: a.timezone ?? review.userTimezone,
      availability:
        a.availableFrom !== null && a.availableTo !== null ? `${a.availableFrom}:00–${a.availableTo}:00` : null,
    },
    questions: review.questions.map((q) => ({
      id: q.id,
      label: q.label,
      removed: q.archivedAt !== null,
      answer: review.answers[q.id] ?? null,
      kind: q.kind,
      options: parseOptions(q),
    })),
    myScore: review.myScore,
    otherScores: review.otherScores,
    otherScoreCount: review.otherScoreCount,
    comments: review.comments,
  };
}

const Comment = z.object({
  body: z.string().trim().min(1, "Write a comment first.").max(5000, "Keep comments under 5000 characters."),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const id = applicationId(params.id);
  const form = await readFormData(request);
  const intent = String(form.get("intent") ?? "");
  const back = `/programs/${program.slug}/review/${id}`;
  if (intent === "score") {
    const scores: Record<string, number> = {};
    for (const c of parseRubric(program)) scores[c.id] = Number(form.get(`score-${c.id}`));
    const result = await scoreApplication(program, id, user.id, scores);
    if (!result.ok)
      return data(
        { intent, problems: result.problems as Record<string, string>, message: "Score every criterion from 1 to 5." },
        { status: 400 },
      );
    return redirect(`${back}?scored=1`);
  }
  if (intent === "comment") {
    const parsed = Comment.safeParse({ body: form.get("body") ?? "" });
    if (!parsed.success)
      return data(
        { intent, problems: { body: parsed.error.issues[0]!.message } as Record<string, string>, message: null },
        { status: 400 },
      );
    await addComment(program.id, id, user.id, parsed.data.body);
    return redirect(`${back}#comments`);
  }
  if (intent === "decide") {
    const value = String(form.get("decision") ?? "");
    const decision =
      value === "accepted" || value === "waitlisted" || value === "rejected"
        ? value
        : value === "none"
          ? null
          : undefined;
    if (decision === undefined)
      return data(
        { intent, problems: { decision: "Choose a decision." } as Record<string, string>, message: null },
        { status: 400 },
      );
    const result = await setDecision(program.id, id, decision, user.id);
    if (!result.ok)
      return data({ intent, problems: {} as Record<string, string>, message: result.problem }, { status: 409 });
    return redirect(`${back}?decided=1`);
  }
  throw new Response("Bad request", { status: 400 });
}

function answerText(answer: string | string[] | null) {
  if (answer === null) return <span className="muted">No answer</span>;
  if (Array.isArray(answer)) return answer.length ? answer.join(", ") : <span className="muted">None chosen</span>;
  return answer || <span className="muted">No answer</span>;
}

export default function ReviewApplication() {
  const { program, rubric, application, questions, myScore, otherScores, otherScoreCount, comments } =
    useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problems = result?.problems ?? {};
  return (
    <article className="stack">
      <p>
        <Link to={`/programs/${program.slug}/review`}>← All applications</Link>
      </p>
      <h1>
        {application.name ?? application.login} <span className="muted">@{application.login}</span>
      </h1>
      <p>
        {application.roleName} · status: <span className="tag">{application.status}</span>
        {application.decision ? (
          <>
            {" "}
            · decision: <span className="tag">{application.decision}</span>{" "}
            {application.decisionSent ? "(sent)" : "(not sent yet)"}
          </>
        ) : null}
      </p>
      <p className="muted">
        Time zone: {application.timezone ?? "not given"} · usually free: {application.availability ?? "not given"}
      </p>
      {result?.message ? <FormErrors errors={[result.message]} /> : null}
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
                aria-describedby={problems[c.id] ? `score-${c.id}-error` : undefined}
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
                {problems[c.id] ? (
                  <p id={`score-${c.id}-error`} className="field-error">
                    {problems[c.id]}
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
          <p>The decision ({application.decision}) was sent to the applicant and can no longer change.</p>
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
              aria-invalid={problems.body ? true : undefined}
              aria-describedby={problems.body ? "comment-body-error" : undefined}
            />
            {problems.body ? (
              <p id="comment-body-error" className="field-error">
                {problems.body}
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
