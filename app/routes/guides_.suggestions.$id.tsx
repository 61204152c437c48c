// /guides/suggestions/:id: one suggested edit, seen by its author and the reviewers only (anyone
// else gets the same 404 as a missing id). Shows the change against the revision it was made on;
// when the guide changed since, what accepting would publish (the change merged onto the current
// text) or that it clashes. Reviewers comment, accept (a new revision credited to the author) or
// decline with a reason; the author comments, updates or withdraws it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { TextDiff } from "#app/components/text-diff.tsx";
import { useNotices } from "#app/components/notices.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getRevisionBody } from "#app/models/guides/guides.server.ts";
import {
  acceptPlan,
  acceptSuggestion,
  addComment,
  declineSuggestion,
  listComments,
  suggestionFor,
  withdrawSuggestion,
  type DecideResult,
  type Suggestion,
} from "#app/models/guides/suggestions.server.ts";
import { diffTexts } from "#app/models/guides/diff.ts";
import { acceptSchema, commentSchema, declineSchema } from "#app/models/guides/forms.ts";
import { suggestionStatusLabels } from "#app/models/guides/labels.ts";
import { guidePath, linkedAnchors, suggestionPath } from "#app/models/guides/paths.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Suggestion to ${data.suggestion.guideTitle} · Roadies` : "Suggestion · Roadies" },
];

async function load(request: Request, rawId: string | undefined) {
  const user = await requireUser(request);
  const found = await suggestionFor(user, parseId(rawId));
  if (!found) throw notFound();
  return { user, ...found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { suggestion, reviewer, own } = await load(request, params.id);
  const pending = suggestion.status === "pending";
  // Side by side (one round trip), the accept plan's revisions with them.
  const [base, comments, plan] = await Promise.all([
    getRevisionBody(suggestion.guideId, suggestion.baseRevision),
    listComments(suggestion.id),
    pending ? acceptPlan(suggestion) : null,
  ]);
  const sinceBase = plan && plan.kind !== "clean" ? diffTexts(base ?? "", plan.currentText) : null;
  return {
    suggestion: {
      id: suggestion.id,
      guideSlug: suggestion.guideSlug,
      guideTitle: suggestion.guideTitle,
      guideHref: guidePath(suggestion.guideSlug),
      guideRevision: suggestion.guideRevision,
      baseRevision: suggestion.baseRevision,
      authorLogin: suggestion.authorLogin,
      authorName: suggestion.authorName,
      note: suggestion.note,
      status: suggestion.status,
      statusLabel: suggestionStatusLabels[suggestion.status],
      deciderLogin: suggestion.deciderLogin,
      decided: suggestion.decidedAt ? formatDateTime(suggestion.decidedAt) : null,
      declineReason: suggestion.declineReason,
      publishedRevision: suggestion.publishedRevision,
      created: formatDateTime(suggestion.createdAt),
      createdIso: new Date(suggestion.createdAt).toISOString(),
    },
    change: diffTexts(base ?? "", suggestion.body),
    plan: plan
      ? {
          kind: plan.kind,
          sinceBase,
          merged: plan.kind === "merged" ? diffTexts(plan.currentText, plan.text) : null,
        }
      : null,
    comments: comments.map((c) => ({
      id: c.id,
      html: renderMarkdown(c.body),
      login: c.login,
      name: c.name,
      when: formatDateTime(c.createdAt),
      whenIso: new Date(c.createdAt).toISOString(),
    })),
    reviewer,
    own,
    canDecide: reviewer && !own && pending,
  };
}

const refusals: Record<Extract<DecideResult, { ok: false }>["reason"], string> = {
  "not-pending": "This suggestion was already decided or withdrawn.",
  own: "You cannot publish your own suggestion: another reviewer decides it.",
  stale: "The guide changed since you opened this page. Read what would be published now, then decide again.",
  conflict:
    "The guide changed since this suggestion was made, on the same lines: it cannot be published as is. Ask the author (in a comment) to update it on the current text.",
  "not-reviewer": "Only working-group members and roadies review suggestions.",
  "removes-linked-anchor": "Publishing it would remove section anchors that other pages link to.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, suggestion, reviewer, own } = await load(request, params.id);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "comment":
      return comment(user, suggestion, formData);
    case "accept":
      if (!reviewer) throw new Response("Forbidden", { status: 403 });
      return accept(user, suggestion, formData);
    case "decline":
      if (!reviewer) throw new Response("Forbidden", { status: 403 });
      return decline(user, suggestion, formData);
    case "withdraw":
      if (!own) throw new Response("Forbidden", { status: 403 });
      return withdraw(user, suggestion);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

type Person = { id: number };

async function comment(user: Person, suggestion: Suggestion, formData: FormData) {
  const submission = parseWithZod(formData, { schema: commentSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await addComment(user, suggestion, submission.value.body);
  return redirect(`${suggestionPath(suggestion.id)}?commented=1#comments`);
}

async function accept(user: Person, suggestion: Suggestion, formData: FormData) {
  const submission = parseWithZod(formData, { schema: acceptSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await acceptSuggestion(user, suggestion.id, {
    seenRevision: submission.value.currentRevision,
    note: submission.value.note,
    linkedAnchors: linkedAnchors(suggestion.guideSlug),
  });
  if (!result.ok) {
    const message =
      result.reason === "removes-linked-anchor"
        ? `${refusals[result.reason]} (${(result.anchors ?? []).join(", ")})`
        : refusals[result.reason];
    return data(submission.reply({ formErrors: [message] }), { status: 409 });
  }
  return redirect(`${suggestionPath(suggestion.id)}?published=${result.revision}`);
}

async function decline(user: Person, suggestion: Suggestion, formData: FormData) {
  const submission = parseWithZod(formData, { schema: declineSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await declineSuggestion(user, suggestion.id, submission.value.reason);
  if (!result.ok) return data(submission.reply({ formErrors: [refusals[result.reason]] }), { status: 409 });
  return redirect(`${suggestionPath(suggestion.id)}?declined=1`);
}

async function withdraw(user: Person, suggestion: Suggestion) {
  const result = await withdrawSuggestion(user, suggestion.id);
  if (!result.ok) throw data({ message: refusals[result.reason] }, { status: 409 });
  return redirect(`${suggestionPath(suggestion.id)}?withdrawn=1`);
}

function ReviewForms() {
  const { suggestion, plan } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [acceptForm, acceptFields] = useSchemaForm(acceptSchema, {
    id: "accept",
    lastResult: replyFor(reply, "accept"),
    defaultValue: { currentRevision: String(suggestion.guideRevision), note: "" },
  });
  const [declineForm, declineFields] = useSchemaForm(declineSchema, {
    id: "decline",
    lastResult: replyFor(reply, "decline"),
  });
  return (
    <section className="card stack" aria-labelledby="decide">
      <h2 id="decide">Decide</h2>
      {plan?.kind === "conflict" ? (
        <p>
          It cannot be published as is: the guide changed on the same lines since. Comment to ask the author to update
          it, or decline it.
        </p>
      ) : (
        <Form method="post" {...getFormProps(acceptForm)} className="stack">
          <FormErrors errors={acceptForm.errors} />
          <input {...getInputProps(acceptFields.currentRevision, { type: "hidden" })} />
          <Field
            field={acceptFields.note}
            label="Note for the history (optional)"
            hint="Leave empty to use the author's note."
          >
            {(aria) => <input {...getInputProps(acceptFields.note, { type: "text" })} {...aria} />}
          </Field>
          <button type="submit" name="intent" value="accept">
            Publish as revision {suggestion.guideRevision + 1}
          </button>
        </Form>
      )}
      <Form method="post" {...getFormProps(declineForm)} className="stack">
        <FormErrors errors={declineForm.errors} />
        <Field field={declineFields.reason} label="Reason for declining" hint="The author reads this, by email too.">
          {(aria) => <textarea {...getTextareaProps(declineFields.reason)} {...aria} rows={3} />}
        </Field>
        <button type="submit" name="intent" value="decline" className="secondary">
          Decline
        </button>
      </Form>
    </section>
  );
}

function CommentForm() {
  const reply = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(commentSchema, { id: "comment", lastResult: replyFor(reply, "comment") });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <Field field={fields.body} label="Add a comment" hint="Markdown.">
        {(aria) => <textarea {...getTextareaProps(fields.body)} {...aria} rows={4} />}
      </Field>
      <button type="submit" name="intent" value="comment">
        Comment
      </button>
    </Form>
  );
}

export default function SuggestionPage() {
  const { suggestion, change, plan, comments, own, canDecide } = useLoaderData<typeof loader>();
  const [query] = useSearchParams();
  const notices = useNotices(query);
  const pending = suggestion.status === "pending";
  const withdrawing = own && pending && query.get("withdraw") === "1";
  return (
    <div className="stack narrow guide-suggestion">
      <p>
        <Link to="/guides/suggestions">← Suggestions</Link>
      </p>
      <h1>Suggestion to “{suggestion.guideTitle}”</h1>
      {notices.get("sent") ? (
        <p className="alert" role="status">
          Sent. A reviewer will look at it; you will be told when it is published or declined.
        </p>
      ) : null}
      {notices.get("updated") ? (
        <p className="alert" role="status">
          Your suggestion is updated.
        </p>
      ) : null}
      {notices.get("commented") ? (
        <p className="alert" role="status">
          Comment added.
        </p>
      ) : null}
      {notices.get("published") ? (
        <p className="alert" role="status">
          Published as revision {notices.get("published")}. The author is told.
        </p>
      ) : null}
      {notices.get("declined") ? (
        <p className="alert" role="status">
          Declined. The author is told, with your reason.
        </p>
      ) : null}
      {notices.get("withdrawn") ? (
        <p className="alert" role="status">
          Withdrawn.
        </p>
      ) : null}
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <strong>{suggestion.statusLabel}</strong>
          {suggestion.decided ? ` on ${suggestion.decided}` : ""}
          {suggestion.deciderLogin && suggestion.status !== "withdrawn" ? ` by ${suggestion.deciderLogin}` : ""}
        </dd>
        <dt>By</dt>
        <dd>
          {own ? "You" : (suggestion.authorName ?? suggestion.authorLogin)}, on{" "}
          <time dateTime={suggestion.createdIso}>{suggestion.created}</time>
        </dd>
        <dt>Note</dt>
        <dd>{suggestion.note}</dd>
        <dt>Made on</dt>
        <dd>
          revision {suggestion.baseRevision} of <Link to={suggestion.guideHref}>the guide</Link> (now at revision{" "}
          {suggestion.guideRevision})
        </dd>
      </dl>
      {suggestion.status === "accepted" && suggestion.publishedRevision ? (
        <p>
          Published as{" "}
          <Link
            to={`/guides/${suggestion.guideSlug}/history?from=${suggestion.publishedRevision - 1}&to=${suggestion.publishedRevision}#compare`}
          >
            revision {suggestion.publishedRevision}
          </Link>
          , credited to {own ? "you" : suggestion.authorLogin}.
        </p>
      ) : null}
      {suggestion.status === "declined" && suggestion.declineReason ? (
        <div className="card">
          <h2>Why it was declined</h2>
          <p>{suggestion.declineReason}</p>
        </div>
      ) : null}
      <section className="stack" aria-labelledby="change">
        <h2 id="change">The change</h2>
        <TextDiff diff={change} from={`revision ${suggestion.baseRevision}`} to="the suggested text" />
      </section>
      {plan && plan.kind !== "clean" ? (
        <section className="stack" aria-labelledby="since">
          <h2 id="since">The guide changed since</h2>
          {plan.kind === "merged" ? (
            <p>
              The guide is now at revision {suggestion.guideRevision}. The suggested change touches other lines than the
              changes made since, so it applies to the current text. Publishing it would change the current text like
              this:
            </p>
          ) : (
            <p className="alert" role="note">
              The guide is now at revision {suggestion.guideRevision}, and the changes made since touch the same lines
              as this suggestion: it cannot be published as is.{" "}
              {own ? (
                <Link to={`/guides/${suggestion.guideSlug}/suggest?edit=${suggestion.id}`}>
                  Update it on the current text
                </Link>
              ) : (
                "The author can update it on the current text."
              )}
            </p>
          )}
          {plan.merged ? (
            <TextDiff diff={plan.merged} from={`revision ${suggestion.guideRevision}`} to="what would be published" />
          ) : null}
          {plan.sinceBase ? (
            <details>
              <summary>What changed in the guide since revision {suggestion.baseRevision}</summary>
              <TextDiff
                diff={plan.sinceBase}
                from={`revision ${suggestion.baseRevision}`}
                to={`revision ${suggestion.guideRevision}`}
              />
            </details>
          ) : null}
        </section>
      ) : null}
      {canDecide ? <ReviewForms /> : null}
      {own && pending ? (
        <section className="stack" aria-labelledby="yours">
          <h2 id="yours">Your suggestion</h2>
          {withdrawing ? (
            <Form method="post" className="card stack">
              <p>
                Withdraw this suggestion? Reviewers will no longer see it as waiting; you cannot send it again as is.
              </p>
              <p>
                <button type="submit" name="intent" value="withdraw">
                  Yes, withdraw it
                </button>{" "}
                <Link to={suggestionPath(suggestion.id)}>Keep it</Link>
              </p>
            </Form>
          ) : (
            <p>
              <Link to={`/guides/${suggestion.guideSlug}/suggest?edit=${suggestion.id}`}>Update it</Link> ·{" "}
              <Link to="?withdraw=1">Withdraw it</Link>
            </p>
          )}
        </section>
      ) : null}
      <section className="stack" aria-labelledby="comments">
        <h2 id="comments">Comments</h2>
        {comments.length === 0 ? <p className="muted">No comments yet.</p> : null}
        <ol className="comment-list">
          {comments.map((c) => (
            <li key={c.id} className="card">
              <p className="muted">
                {c.name ?? c.login}, <time dateTime={c.whenIso}>{c.when}</time>
              </p>
              <div dangerouslySetInnerHTML={{ __html: c.html }} />
            </li>
          ))}
        </ol>
        <CommentForm />
      </section>
    </div>
  );
}
