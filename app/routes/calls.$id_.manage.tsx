// The call's management page: interests (accept / decline), the outcome, and the history.
// Only the package's verified maintainers and working-group admins; everyone else gets 404.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, lengthHint, lengthLimits, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { ReportLink } from "#app/components/report-link.tsx";
import { DeclineForm, OutcomeForm, statusLabels } from "#app/models/calls/forms.ts";
import { describeCallEvent, interestStatusLabels } from "#app/models/calls/labels.ts";
import { listCallEvents, parseCallId, recordOutcome, requireCallEditor } from "#app/models/calls/calls.server.ts";
import { decideInterest, listInterests } from "#app/models/calls/interests.server.ts";
import { threadLinkFor } from "#app/models/conversations/threads.server.ts";
import { AcceptNoteForm } from "#app/models/conversations/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [
  { title: "Manage the call · Roadies" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseCallId(params.id);
  // The lists do not depend on who asks: asked beside the session and the call, shown only once
  // requireCallEditor lets the viewer in.
  const [{ call, user }, listed, events] = await Promise.all([
    requireCallEditor(request, params.id),
    id ? listInterests(id) : [],
    id ? listCallEvents(id) : [],
  ]);
  // An accepted interest has its conversation (for the maintainers in it; an admin is not).
  const interests = await Promise.all(
    listed.map(async (i) => ({
      ...i,
      threadHref: i.status === "accepted" ? await threadLinkFor(user.id, "interest", i.id) : null,
    })),
  );
  return {
    call: {
      id: call.id,
      title: call.title,
      status: call.status,
      packageName: call.packageName,
      outcomeNote: call.outcomeNote,
    },
    interests,
    // The history in words ("Status changed from Open to In conversation"), never stored codes.
    events: events.map(({ id, createdAt, actorLogin, ...e }) => ({
      id,
      createdAt,
      actorLogin,
      summary: describeCallEvent(e),
    })),
  };
}

const DECLINE_NOTE_MAX = lengthLimits(DeclineForm).message?.maxLength;
const ACCEPT_NOTE_MAX = lengthLimits(AcceptNoteForm).note?.maxLength;

type Editor = Awaited<ReturnType<typeof requireCallEditor>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const editor = await requireCallEditor(request, params.id);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  switch (intent) {
    case "accept":
    case "decline":
      return decide(editor, formData, intent);
    default:
      // The outcome form sends no intent.
      return recordCallOutcome(editor, formData);
  }
}

async function decide({ user, call }: Editor, formData: FormData, intent: "accept" | "decline") {
  const submission =
    intent === "accept"
      ? parseWithZod(formData, { schema: AcceptNoteForm })
      : parseWithZod(formData, { schema: DeclineForm });
  if (submission.status !== "success") {
    // A note over its limit is said next to the note (and kept); anything else is a forged form.
    const noteOnly = Object.keys(submission.error ?? {}).every((name) => name === "message" || name === "note");
    return data(submission.reply(noteOnly ? {} : { formErrors: ["Invalid request."] }), { status: 400 });
  }
  // An acceptance's note opens the conversation; a decline's goes with the answer.
  const value = submission.value;
  const interestId = value.interestId;
  const message = "note" in value ? value.note : "message" in value ? value.message : undefined;
  const decision = intent === "accept" ? "accepted" : "declined";
  if (!(await decideInterest(user, call, interestId, decision, message || null))) {
    return data(submission.reply({ formErrors: ["That interest was already answered or withdrawn."] }), {
      status: 409,
    });
  }
  return redirect(`/calls/${call.id}/manage`);
}

async function recordCallOutcome({ user, call }: Editor, formData: FormData) {
  const submission = parseWithZod(formData, { schema: OutcomeForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await recordOutcome(user, call, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return redirect(`/calls/${call.id}/manage`);
}

function OutcomeSection() {
  const d = useLoaderData<typeof loader>();
  const lastResult = replyFor(useActionData<typeof action>(), undefined);
  const [form, fields] = useSchemaForm(OutcomeForm, {
    id: "outcome",
    lastResult,
  });
  if (d.call.status === "filled" || d.call.status === "closed") {
    return (
      <section className="card">
        <h2>Outcome</h2>
        <FormErrors errors={form.errors} />
        <p>
          {statusLabels[d.call.status]}: {d.call.outcomeNote}
        </p>
      </section>
    );
  }
  const accepted = d.interests.filter((i) => i.status === "accepted");
  return (
    <section className="card stack" aria-labelledby="outcome-heading">
      <h2 id="outcome-heading">Fill or close the call</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend>Outcome</legend>
          <div className="field field-checkbox">
            <input type="radio" id="outcome-filled" name={fields.outcome.name} value="filled" defaultChecked />
            <label htmlFor="outcome-filled">Filled: someone took it on</label>
          </div>
          <div className="field field-checkbox">
            <input type="radio" id="outcome-closed" name={fields.outcome.name} value="closed" />
            <label htmlFor="outcome-closed">Closed without filling it</label>
          </div>
        </fieldset>
        <Field
          field={fields.filledByLogin}
          label="Who took it over (GitHub login)"
          hint={
            accepted.length
              ? `Accepted so far: ${accepted.map((a) => `@${a.login}`).join(", ")}`
              : "Leave empty when closing."
          }
        >
          {(aria) => <input {...getInputProps(fields.filledByLogin, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.note} label="Outcome note" hint="Who took it over and how, or why the call closed.">
          {(aria) => <textarea {...getTextareaProps(fields.note)} {...aria} rows={3} />}
        </Field>
        <p>
          <button type="submit" className="button">
            Record the outcome
          </button>
        </p>
      </Form>
    </section>
  );
}

export default function ManageCall() {
  const d = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const decision = replyFor(actionData, "accept") ?? replyFor(actionData, "decline");
  const decisionError = decision?.error?.[""]?.join(" ") || null;
  // The decline note comes back with its problem when the note was refused, so nothing typed is lost.
  const declined = (id: number) => decision?.initialValue?.interestId === String(id);
  const keptNote = (id: number) => (declined(id) ? String(decision?.initialValue?.message ?? "") : undefined);
  const noteError = (id: number) => (declined(id) ? decision?.error?.message?.join(" ") : undefined);
  const keptAcceptNote = (id: number) => (declined(id) ? String(decision?.initialValue?.note ?? "") : undefined);
  const acceptError = (id: number) => (declined(id) ? decision?.error?.note?.join(" ") : undefined);
  return (
    <section className="stack">
      <p>
        <Link to={`/calls/${d.call.id}`}>← Back to the call</Link>
      </p>
      <h1>Manage “{d.call.title}”</h1>
      <p>
        {d.call.packageName} · Status: <strong>{statusLabels[d.call.status]}</strong> ·{" "}
        <Link to={`/calls/${d.call.id}/edit`}>Edit the call</Link>
      </p>
      {decisionError ? (
        <p className="alert alert-error" role="alert">
          {decisionError}
        </p>
      ) : null}
      <h2>Interests ({d.interests.length})</h2>
      {d.interests.length === 0 ? <p>No one has expressed interest yet.</p> : null}
      <ul className="stack interest-list">
        {d.interests.map((i) => (
          <li key={i.id} id={`interest-${i.id}`} className="card stack">
            <h3>
              {i.name ? `${i.name} (@${i.login})` : `@${i.login}`}{" "}
              <span className="tag">{interestStatusLabels[i.status]}</span>
            </h3>
            <p className="interest-message">{i.message}</p>
            <p>
              <ReportLink type="interest" id={i.id} what={`@${i.login}'s message`} />
            </p>
            {i.threadHref ? (
              <p>
                <Link to={i.threadHref}>Open the conversation with @{i.login}</Link>
              </p>
            ) : null}
            {i.email ? (
              <p>
                Email: <a href={`mailto:${i.email}`}>{i.email}</a>
              </p>
            ) : i.status === "pending" ? (
              <p className="muted">Accepting opens a conversation with @{i.login} here on Roadies.</p>
            ) : null}
            {i.decisionMessage ? <p className="muted">Your note: {i.decisionMessage}</p> : null}
            {i.status === "pending" ? (
              <div className="stack">
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="accept" />
                  <input type="hidden" name="interestId" value={i.id} />
                  <div className="field">
                    <label htmlFor={`accept-${i.id}`}>Optional first message to @{i.login}</label>
                    <p id={`accept-${i.id}-hint`} className="field-hint">
                      It opens your conversation with them. Markdown works. {lengthHint(undefined, ACCEPT_NOTE_MAX)}
                    </p>
                    <textarea
                      id={`accept-${i.id}`}
                      name="note"
                      rows={2}
                      aria-describedby={`accept-${i.id}-hint${acceptError(i.id) ? ` accept-${i.id}-error` : ""}`}
                      {...(acceptError(i.id) ? { "aria-invalid": true } : {})}
                      defaultValue={keptAcceptNote(i.id)}
                    />
                    {acceptError(i.id) ? (
                      <p id={`accept-${i.id}-error`} className="field-error">
                        {acceptError(i.id)}
                      </p>
                    ) : null}
                  </div>
                  <button type="submit" className="button">
                    Accept @{i.login}
                  </button>
                </Form>
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="decline" />
                  <input type="hidden" name="interestId" value={i.id} />
                  <div className="field">
                    <label htmlFor={`decline-${i.id}`}>Optional note to @{i.login}</label>
                    <p id={`decline-${i.id}-hint`} className="field-hint">
                      {lengthHint(undefined, DECLINE_NOTE_MAX)}
                    </p>
                    <textarea
                      id={`decline-${i.id}`}
                      name="message"
                      rows={2}
                      aria-describedby={`decline-${i.id}-hint${noteError(i.id) ? ` decline-${i.id}-error` : ""}`}
                      {...(noteError(i.id) ? { "aria-invalid": true } : {})}
                      defaultValue={keptNote(i.id)}
                    />
                    {noteError(i.id) ? (
                      <p id={`decline-${i.id}-error`} className="field-error">
                        {noteError(i.id)}
                      </p>
                    ) : null}
                  </div>
                  <button type="submit" className="button button-secondary">
                    Decline @{i.login}
                  </button>
                </Form>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <OutcomeSection />
      <h2>History</h2>
      <ol className="call-history">
        {d.events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.createdAt).toISOString()}>
              {new Date(e.createdAt).toISOString().slice(0, 16).replace("T", " ")}
            </time>{" "}
            {e.summary} by {e.actorLogin ? `@${e.actorLogin}` : "Roadies"}
          </li>
        ))}
      </ol>
    </section>
  );
}
