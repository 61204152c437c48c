// /requests/:id: one special request with its timeline, comments and the actions the viewer may
// take. A confidential request someone may not see answers exactly like a missing id (404).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { ReportLink } from "#app/components/report-link.tsx";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { getCurrentUser, signInOrNotFound } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { findVisibleRequest, getRequestPage } from "#app/models/requests/requests.server.ts";
import { addComment, availableActions, changeState } from "#app/models/requests/events.server.ts";
import {
  commentSchema,
  kindLabels,
  requestActions,
  severityLabels,
  stateLabels,
  type RequestAction,
  type RequestState,
} from "#app/models/requests/forms.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.request.confidential ? `Confidential request #${data.request.id}` : data.request.title} · Roadies`
      : "Page not found · Roadies",
  },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const page = await getRequestPage(user, params.id);
  if (!page) return signInOrNotFound(request);
  const { request: req, access } = page;
  return {
    request: {
      id: req.id,
      kind: req.kind,
      title: req.title,
      detailsHtml: renderMarkdown(req.details),
      severity: req.severity,
      confidential: req.confidential,
      state: req.state,
      ackDueAt: req.ackDueAt,
      createdAt: req.createdAt,
      assignee: access.participant ? page.expert : null,
    },
    pkg: page.pkg,
    access,
    actions: user ? availableActions(req, access) : [],
    events: page.events.map((e) => ({
      id: e.id,
      type: e.type,
      actor: e.actor,
      subject: e.subject,
      fromState: e.fromState,
      toState: e.toState,
      bodyHtml: e.body ? renderMarkdown(e.body) : null,
      createdAt: e.createdAt,
      reportable: Boolean(user) && e.type === "comment" && e.actorUserId !== user?.id,
    })),
    // The filer's and the assigned expert's conversation, for them only: read with the request (it
    // was made when the request was filed).
    threadHref: user && page.threadId ? `/threads/${page.threadId}` : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) throw notFound();
  const found = await findVisibleRequest(user, params.id);
  if (!found || !found.access.participant) throw notFound();
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "comment":
      return comment(found, user.id, formData);
    default:
      return changeRequestState(found, user.id, formData);
  }
}

type Found = NonNullable<Awaited<ReturnType<typeof findVisibleRequest>>>;

async function comment({ request, access }: Found, userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: commentSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await addComment(request, access, userId, submission.value.body);
  return redirect(`/requests/${request.id}#timeline`);
}

const StateChangeForm = z.object({ intent: z.enum(requestActions) });

async function changeRequestState({ request, access }: Found, userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: StateChangeForm });
  if (submission.status !== "success")
    return data(submission.reply({ formErrors: ["Unknown action."] }), { status: 400 });
  if (!(await changeState(request, access, submission.value.intent, userId))) {
    return data(
      submission.reply({
        formErrors: [
          "That is no longer possible: the request changed since you opened this page. Here is where it stands now.",
        ],
      }),
      { status: 409 },
    );
  }
  return redirect(`/requests/${request.id}`);
}

const actionLabels: Record<RequestAction, string> = {
  acknowledge: "Acknowledge",
  start: "Mark in progress",
  resolve: "Mark resolved",
  close: "Close",
  reopen: "Reopen",
};

type Person = { login: string; name: string | null } | null;
const who = (p: Person) => (p ? (p.name ?? p.login) : "Roadies");

function describe(e: {
  type: string;
  actor: Person;
  subject: Person;
  fromState: RequestState | null;
  toState: RequestState | null;
}) {
  switch (e.type) {
    case "filed":
      return `${who(e.actor)} filed the request`;
    case "assigned":
      return `Assigned to ${who(e.subject)}`;
    case "reassigned":
      return `Not acknowledged in time: reassigned to ${who(e.subject)}`;
    case "unassigned":
      return "Not acknowledged in time, and nobody else in the pool is available: the admins have been told";
    case "state":
      return `${who(e.actor)} changed the state from ${e.fromState ? stateLabels[e.fromState] : "?"} to ${e.toState ? stateLabels[e.toState] : "?"}`;
    default:
      return `${who(e.actor)} commented`;
  }
}

export default function RequestPage() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm<typeof commentSchema, { body: string }>(commentSchema, {
    id: "comment",
    lastResult: replyFor(lastResult, "comment"),
  });
  // A state change answers only with a form-level message (the buttons have no fields).
  const formLevel = lastResult?.initialValue?.intent === "comment" ? undefined : lastResult?.error?.[""];
  const r = d.request;
  return (
    <article className="stack">
      <p>
        <Link to="/requests">← Special requests</Link>
      </p>
      <h1>{r.title}</h1>
      <p>
        <span className="tag">{kindLabels[r.kind]}</span>
        {r.severity ? <span className="tag">Severity: {severityLabels[r.severity]}</span> : null}
        {r.confidential ? <span className="tag">Confidential</span> : null}
        <span className="tag">{stateLabels[r.state]}</span>
      </p>
      {d.threadHref ? (
        <p>
          <Link to={d.threadHref}>The conversation between the filer and the assigned expert</Link>
        </p>
      ) : null}
      <dl className="request-facts">
        <dt>Package</dt>
        <dd>{d.pkg ? <Link to={`/packages/${d.pkg.normalizedName}`}>{d.pkg.name}</Link> : "—"}</dd>
        <dt>Filed</dt>
        <dd>{formatDateTime(r.createdAt)}</dd>
        {d.access.participant ? (
          <>
            <dt>Expert</dt>
            <dd>{r.assignee ? who(r.assignee) : "Nobody available yet: the admins have been told"}</dd>
          </>
        ) : null}
        {r.ackDueAt && r.state === "new" ? (
          <>
            <dt>To be acknowledged by</dt>
            <dd>{formatDateTime(r.ackDueAt)}</dd>
          </>
        ) : null}
      </dl>
      {r.confidential ? (
        <p className="alert" role="note">
          This request is confidential. Only the package&rsquo;s verified maintainers, the experts assigned to it and
          the working-group admins can see it, and each view is recorded.
        </p>
      ) : null}
      <section aria-labelledby="details" className="stack">
        <h2 id="details">Details</h2>
        <div className="prose" dangerouslySetInnerHTML={{ __html: r.detailsHtml }} />
      </section>
      <FormErrors errors={formLevel} />
      {d.actions.length ? (
        <div className="request-actions">
          {d.actions.map((a) => (
            <Form method="post" key={a}>
              <button
                type="submit"
                name="intent"
                value={a}
                className={a === "acknowledge" ? "button" : "button button-secondary"}
              >
                {actionLabels[a]}
              </button>
            </Form>
          ))}
        </div>
      ) : null}
      {d.access.participant ? (
        <section aria-labelledby="timeline" className="stack">
          <h2 id="timeline">Timeline</h2>
          <ol className="request-timeline">
            {d.events.map((e) => (
              <li key={e.id} id={e.type === "comment" ? `comment-${e.id}` : undefined}>
                <p>
                  <strong>{describe(e)}</strong> <span className="muted">· {formatDateTime(e.createdAt)}</span>
                  {e.reportable ? (
                    <>
                      {" · "}
                      <ReportLink type="comment" id={e.id} what={`${who(e.actor)}'s comment`} />
                    </>
                  ) : null}
                </p>
                {e.bodyHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: e.bodyHtml }} /> : null}
              </li>
            ))}
          </ol>
          <Form method="post" {...getFormProps(form)} className="stack">
            <FormErrors errors={form.errors} />
            <Field
              field={fields.body}
              label="Add a comment"
              hint="Markdown. Seen only by the people who can see this request."
            >
              {(aria) => <textarea {...getTextareaProps(fields.body)} rows={5} {...aria} />}
            </Field>
            <p>
              <button type="submit" name="intent" value="comment" className="button">
                Comment
              </button>
            </p>
          </Form>
        </section>
      ) : null}
    </article>
  );
}
