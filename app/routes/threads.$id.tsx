// /threads/:id: the conversation about an accepted interest, a transfer, a special request or a
// programme application. Members only (membership.server.ts decides, live, on every read and
// write); a working-group member sees only "Join" on a transfer's thread; everyone else gets the
// same 404 as for a missing id. Editing (?edit=ID, 15 minutes) and deleting (?delete=ID, a confirm
// step) work without JavaScript; with it, the page follows new messages live.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useEffect, useRef } from "react";
import { Form, Link, useActionData, useLoaderData, useLocation, useRevalidator } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { ReportLink } from "#app/components/report-link.tsx";
import { useLiveRevalidate } from "#app/components/live.tsx";
import { requireThread, threadPage } from "#app/models/conversations/conversations.server.ts";
import { isMember } from "#app/models/conversations/membership.server.ts";
import { deleteMessage, editMessage, postMessage } from "#app/models/conversations/messages.server.ts";
import { blockUser, unblockUser } from "#app/models/conversations/blocks.server.ts";
import { setJoined, setMuted } from "#app/models/conversations/threads.server.ts";
import { EditMessageForm, MessageIdForm, PostMessageForm } from "#app/models/conversations/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { safeRedirectPath } from "#app/utils/redirects.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the thread changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Conversation · Roadies" }, { name: "robots", content: "noindex" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = await threadPage(request, params.id);
  const url = new URL(request.url);
  const asked = (name: string) => page.messages.find((m) => String(m.id) === url.searchParams.get(name)) ?? null;
  const editing = asked("edit");
  const deleting = asked("delete");
  return {
    ...page,
    editing: editing?.editable ? { id: editing.id, body: editing.body ?? "" } : null,
    deleting: deleting?.own && deleting.deletedAt === null ? { id: deleting.id, createdAt: deleting.createdAt } : null,
  };
}

type Ctx = Awaited<ReturnType<typeof requireThread>>;

export async function action({ request, params }: ActionFunctionArgs) {
  // Membership is checked again for every intent: a power that ended since the page loaded is gone.
  const ctx = await requireThread(request, params.id);
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  if (intent === "join") return join(ctx);
  invariantResponse(ctx.member, "Join the conversation first.", { status: 403 });
  switch (intent) {
    case "post":
      return post(ctx, formData);
    case "edit":
      return edit(ctx, formData);
    case "delete":
      return remove(ctx, formData);
    case "mute":
    case "unmute":
      await setMuted(ctx.thread.id, ctx.user.id, intent === "mute");
      // From the inbox (a form with next=/inbox…), back there; from the thread, the thread with a notice.
      return redirect(
        formData.get("next")
          ? safeRedirectPath(String(formData.get("next")), `/threads/${ctx.thread.id}`)
          : `/threads/${ctx.thread.id}?${intent === "mute" ? "muted" : "unmuted"}=1`,
      );
    case "leave":
      return leave(ctx);
    case "block":
    case "unblock":
      return block(ctx, formData, intent);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

async function post({ user, thread, subject }: Ctx, formData: FormData) {
  const submission = parseWithZod(formData, { schema: PostMessageForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await postMessage(user, thread, subject, submission.value.body);
  if (!result.ok) {
    const status = result.problem === "rate_limited" ? 429 : result.problem === "closed" ? 409 : 403;
    return data(submission.reply({ formErrors: [result.message] }), { status });
  }
  return redirect(`/threads/${thread.id}#message-${result.messageId}`);
}

async function edit({ user, thread }: Ctx, formData: FormData) {
  const submission = parseWithZod(formData, { schema: EditMessageForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await editMessage(user, thread, submission.value.messageId, submission.value.body);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return redirect(`/threads/${thread.id}#message-${submission.value.messageId}`);
}

async function remove({ user, thread }: Ctx, formData: FormData) {
  const submission = parseWithZod(formData, { schema: MessageIdForm });
  if (submission.status !== "success")
    return data(submission.reply({ formErrors: ["Invalid request."] }), { status: 400 });
  const id = submission.value.messageId;
  // Anything but the confirmation's own button asks first.
  if (formData.get("confirm") !== "yes") return redirect(`/threads/${thread.id}?delete=${id}#confirm-delete`);
  const result = await deleteMessage(user, thread, id);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return redirect(`/threads/${thread.id}#message-${id}`);
}

async function join({ user, thread, canJoin, member }: Ctx) {
  if (member) return redirect(`/threads/${thread.id}`);
  invariantResponse(canJoin, "Only working-group members can join this conversation.", { status: 403 });
  await setJoined(thread.id, user.id, true);
  return redirect(`/threads/${thread.id}`);
}

async function leave({ user, thread, subject }: Ctx) {
  const mine = subject.members.find((m) => m.userId === user.id);
  invariantResponse(
    mine?.role === "working-group",
    "You are in this conversation because of your part in it, so you cannot leave it. You can mute it instead.",
    { status: 409 },
  );
  await setJoined(thread.id, user.id, false);
  return redirect(`/transfers/${subject.id}`);
}

async function block({ user, thread, subject }: Ctx, formData: FormData, intent: "block" | "unblock") {
  const other = Number(formData.get("userId"));
  invariantResponse(
    Number.isSafeInteger(other) && other !== user.id && isMember(subject, other),
    "Choose someone in this conversation.",
  );
  if (intent === "block") await blockUser(user.id, other);
  else await unblockUser(user.id, other);
  return redirect(`/threads/${thread.id}?${intent === "block" ? "blocked" : "unblocked"}=1#people`);
}

const notices: Record<string, string> = {
  muted: "Muted: you will not be notified of new messages here. You can still read and write.",
  unmuted: "Unmuted: you will be notified of new messages here again.",
  blocked: "Blocked. They can no longer post in conversations you are in, and you are not notified of their messages.",
  unblocked: "Unblocked.",
};

function Notice() {
  const { search } = useLocation();
  const query = new URLSearchParams(search);
  const key = Object.keys(notices).find((k) => query.get(k) === "1");
  return key ? (
    <p className="alert" role="status">
      {notices[key]}
    </p>
  ) : null;
}

type Page = ReturnType<typeof useLoaderData<typeof loader>>;
type PageMessage = Page["messages"][number];

function Author({ m }: { m: Pick<PageMessage, "authorLogin" | "authorName"> }) {
  if (!m.authorLogin) return <strong>{m.authorName}</strong>;
  return (
    <strong>
      <Link to={`/people/${m.authorLogin}`}>{m.authorName ?? `@${m.authorLogin}`}</Link>
      {m.authorName ? <span className="muted"> @{m.authorLogin}</span> : null}
    </strong>
  );
}

function MessageItem({ m, threadId }: { m: PageMessage; threadId: number }) {
  const when = <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>;
  if (m.deletedAt !== null || m.hidden) {
    return (
      <li id={`message-${m.id}`} className="thread-message thread-message-gone">
        <p className="muted">
          {m.hidden ? "This message was hidden by the moderators." : "Message deleted."} {when}
        </p>
      </li>
    );
  }
  return (
    <li id={`message-${m.id}`} className="thread-message card stack">
      <p className="thread-message-meta">
        <Author m={m} /> · {when}
        {m.editedAt ? <span className="muted"> · edited</span> : null}
      </p>
      <div className="prose" dangerouslySetInnerHTML={{ __html: m.html }} />
      <p className="thread-message-actions">
        {m.editable ? (
          <Link to={`/threads/${threadId}?edit=${m.id}#edit-message`}>
            Edit<span className="visually-hidden"> your message of {formatDateTime(m.createdAt)}</span>
          </Link>
        ) : null}
        {m.own ? (
          <Link to={`/threads/${threadId}?delete=${m.id}#confirm-delete`}>
            Delete<span className="visually-hidden"> your message of {formatDateTime(m.createdAt)}</span>
          </Link>
        ) : (
          <ReportLink type="message" id={m.id} what={`the message of ${formatDateTime(m.createdAt)}`} />
        )}
      </p>
    </li>
  );
}

function EditMessage({ editing, threadId }: { editing: NonNullable<Page["editing"]>; threadId: number }) {
  const result = replyFor(useActionData<typeof action>(), "edit");
  const [form, fields] = useSchemaForm(EditMessageForm, {
    id: `edit-${editing.id}`,
    lastResult: result,
    defaultValue: { messageId: String(editing.id), body: editing.body },
  });
  return (
    <section id="edit-message" className="card stack" aria-labelledby="edit-message-heading">
      <h2 id="edit-message-heading">Edit your message</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <input type="hidden" name="intent" value="edit" />
        <input type="hidden" name="messageId" value={editing.id} />
        <Field field={fields.body} label="Message" hint="Markdown works. Messages can be edited for 15 minutes.">
          {(aria) => <textarea {...getTextareaProps(fields.body)} rows={6} {...aria} />}
        </Field>
        <p className="actions">
          <button type="submit" className="button">
            Save the message
          </button>{" "}
          <Link to={`/threads/${threadId}#message-${editing.id}`}>Cancel</Link>
        </p>
      </Form>
    </section>
  );
}

function ConfirmDelete({ deleting, threadId }: { deleting: NonNullable<Page["deleting"]>; threadId: number }) {
  return (
    <section id="confirm-delete" className="card stack" aria-labelledby="confirm-delete-heading">
      <h2 id="confirm-delete-heading">Delete your message of {formatDateTime(deleting.createdAt)}?</h2>
      <p>
        Its text is removed for everyone. The others still see that a message was deleted here. This cannot be undone.
      </p>
      <Form method="post" className="actions">
        <input type="hidden" name="intent" value="delete" />
        <input type="hidden" name="messageId" value={deleting.id} />
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit" className="button button-danger">
          Delete the message
        </button>{" "}
        <Link to={`/threads/${threadId}#message-${deleting.id}`}>Keep it</Link>
      </Form>
    </section>
  );
}

function Composer({ page }: { page: Page }) {
  const result = replyFor(useActionData<typeof action>(), "post");
  const [form, fields] = useSchemaForm(PostMessageForm, { id: "composer", lastResult: result });
  return (
    <Form method="post" {...getFormProps(form)} className="card stack" aria-labelledby="composer-heading">
      <h2 id="composer-heading">Write a message</h2>
      <FormErrors errors={form.errors} />
      <input type="hidden" name="intent" value="post" />
      <Field
        field={fields.body}
        label="Message"
        hint={`Markdown works. Everyone in this conversation (${page.members.length}) can read it.`}
      >
        {(aria) => <textarea {...getTextareaProps(fields.body)} rows={5} {...aria} />}
      </Field>
      <p>
        <button type="submit" className="button">
          Send
        </button>
      </p>
    </Form>
  );
}

function People({ page }: { page: Page }) {
  return (
    <section id="people" className="card stack" aria-labelledby="people-heading">
      <h2 id="people-heading">In this conversation</h2>
      <ul className="thread-people">
        {page.members.map((p) => (
          <li key={p.id}>
            {p.login ? <Link to={`/people/${p.login}`}>{p.name ?? `@${p.login}`}</Link> : p.name}{" "}
            <span className="muted">({p.self ? `you, ${p.role}` : p.role})</span>
            {!p.self && p.login ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value={p.blocked ? "unblock" : "block"} />
                <input type="hidden" name="userId" value={p.id} />
                <button type="submit" className="link-button">
                  {p.blocked ? "Unblock" : "Block"}
                  <span className="visually-hidden"> @{p.login}</span>
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="muted">
        Blocking someone stops them from posting in conversations you are in and stops notifications of their messages.
        They are not told, unless they try to post.
      </p>
    </section>
  );
}

function JoinPage({ page }: { page: Page }) {
  return (
    <section className="stack narrow">
      <h1>Conversation about {page.subject.title}</h1>
      <p>
        <Link to={page.subject.href}>← Back to the handover</Link>
      </p>
      <div className="card stack">
        <p>
          The maintainer, the successor and the shepherd roadie talk here. As a working-group member you can join to
          follow and help; they will see that you joined, and you can leave again.
        </p>
        <Form method="post">
          <input type="hidden" name="intent" value="join" />
          <button type="submit" className="button">
            Join the conversation
          </button>
        </Form>
      </div>
    </section>
  );
}

export default function ThreadPage() {
  const page = useLoaderData<typeof loader>();
  useLiveRevalidate(page.member ? `/threads/${page.id}/version` : null, 4000, page.version);
  // Opening the thread marked its notifications read after the header counted them: count again.
  const revalidator = useRevalidator();
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  useEffect(() => {
    if (page.markedRead > 0) revalidate.current();
  }, [page.markedRead, page.version]);
  if (!page.member) return <JoinPage page={page} />;
  const ownCount = page.messages.filter((m) => m.own).length;
  return (
    <section className="stack thread">
      <p>
        <Link to={page.subject.href}>← Back to {page.subject.title}</Link>
      </p>
      <h1>Conversation about {page.subject.title}</h1>
      {page.subject.confidential ? (
        <p className="alert">
          Confidential: only the people listed below can read this conversation. Emails about it carry only a link.
        </p>
      ) : null}
      <Notice />
      <div className="thread-toolbar">
        <Form method="post" className="inline-form">
          <input type="hidden" name="intent" value={page.muted ? "unmute" : "mute"} />
          <button type="submit" className="button button-secondary">
            {page.muted ? "Unmute" : "Mute"}
          </button>
        </Form>
        {page.joined ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="leave" />
            <button type="submit" className="button button-secondary">
              Leave the conversation
            </button>
          </Form>
        ) : null}
      </div>
      {page.deleting ? <ConfirmDelete deleting={page.deleting} threadId={page.id} /> : null}
      {page.editing ? <EditMessage editing={page.editing} threadId={page.id} /> : null}
      <h2 className="visually-hidden">Messages</h2>
      {page.messages.length === 0 ? <p>No messages yet. Say hello and what you would like to do first.</p> : null}
      <ol className="thread-messages stack" aria-live="polite">
        {page.messages.map((m) => (
          <MessageItem key={m.id} m={m} threadId={page.id} />
        ))}
      </ol>
      {page.subject.open ? (
        // A new key after each of your own messages empties the composer; others' messages keep your draft.
        <Composer key={ownCount} page={page} />
      ) : (
        <p className="alert">{page.subject.closedReason}</p>
      )}
      <People page={page} />
    </section>
  );
}
