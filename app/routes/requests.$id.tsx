// /requests/:id: one special request with its timeline, comments and the actions the viewer may
// take. A confidential request someone may not see answers exactly like a missing id (404).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors } from "#app/components/field.tsx";
import { getCurrentUser } from "#app/utils/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import {
  addComment,
  availableActions,
  changeState,
  findVisibleRequest,
  getRequestPage,
} from "#app/models/requests/requests.server.ts";
import {
  commentSchema,
  kindLabels,
  requestActions,
  severityLabels,
  stateLabels,
  type RequestAction,
  type RequestState,
} from "#app/models/requests/forms.ts";

const notFound = () => new Response("Not found", { status: 404 });

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
  const found = await findVisibleRequest(user, params.id);
  if (!found) throw notFound();
  const { request: req, access } = found;
  const page = await getRequestPage(req, access);
  const person = (id: number | null) => (id ? (page.people.get(id) ?? null) : null);
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
      assignee: access.participant ? person(req.assigneeUserId) : null,
    },
    pkg: page.pkg,
    access,
    actions: user ? availableActions(req, access) : [],
    events: page.events.map((e) => ({
      id: e.id,
      type: e.type,
      actor: person(e.actorUserId),
      subject: person(e.subjectUserId),
      fromState: e.fromState,
      toState: e.toState,
      bodyHtml: e.body ? renderMarkdown(e.body) : null,
      createdAt: e.createdAt,
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) throw notFound();
  const found = await findVisibleRequest(user, params.id);
  if (!found || !found.access.participant) throw notFound();
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "comment") {
    const submission = parseWithZod(formData, { schema: commentSchema });
    if (submission.status !== "success") return data(submission.reply(), { status: 400 });
    await addComment(found.request, found.access, user.id, submission.value.body);
    return redirect(`/requests/${found.request.id}#timeline`);
  }
  const wanted = requestActions.find((a) => a === intent);
  if (!wanted) return data({ problem: "Unknown action." }, { status: 400 });
  const done = await changeState(found.request, found.access, wanted, user.id);
  if (!done) {
    return data({ problem: "That is no longer possible: the request has changed. Reload the page." }, { status: 409 });
  }
  return redirect(`/requests/${found.request.id}`);
}

const actionLabels: Record<RequestAction, string> = {
  acknowledge: "Acknowledge",
  start: "Mark in progress",
  resolve: "Mark resolved",
  close: "Close",
  reopen: "Reopen",
};

const when = (ms: number) =>
  new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }).format(ms) + " UTC";

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
  const [form, fields] = useForm<{ body: string }>({
    id: "comment",
    lastResult: lastResult && !("problem" in lastResult) ? lastResult : undefined,
    shouldValidate: "onBlur",
    shouldRevalidate: "onInput",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: commentSchema }) as never,
  });
  const formLevel = lastResult && "problem" in lastResult ? [lastResult.problem] : undefined;
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
      <dl className="request-facts">
        <dt>Package</dt>
        <dd>{d.pkg ? <Link to={`/packages/${d.pkg.normalizedName}`}>{d.pkg.name}</Link> : "—"}</dd>
        <dt>Filed</dt>
        <dd>{when(r.createdAt)}</dd>
        {d.access.participant ? (
          <>
            <dt>Expert</dt>
            <dd>{r.assignee ? who(r.assignee) : "Nobody available yet: the admins have been told"}</dd>
          </>
        ) : null}
        {r.ackDueAt && r.state === "new" ? (
          <>
            <dt>To be acknowledged by</dt>
            <dd>{when(r.ackDueAt)}</dd>
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
              <li key={e.id}>
                <p>
                  <strong>{describe(e)}</strong> <span className="muted">· {when(e.createdAt)}</span>
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
