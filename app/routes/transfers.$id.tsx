// /transfers/:id: the ownership transfer checklist. Each party ticks its own steps; the shepherd
// roadie may mark any step checked with evidence; the current maintainer and the successor each
// confirm; GitHub must show the successor's access before the call is filled.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { parseTransferId, requireTransferViewer, saveHandoffNotes } from "#app/models/requests/transfers.server.ts";
import { shepherdTransfer } from "#app/models/requests/transfer-inbox.server.ts";
import {
  checkStep,
  completeTransfer,
  confirmTransfer,
  tickStep,
  type ConsentResult,
} from "#app/models/requests/transfer-consent.server.ts";
import { partyLabels, transferActionSchema } from "#app/models/requests/transfer-forms.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";
import { threadLinkFor } from "#app/models/conversations/threads.server.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Ownership transfer · Roadies" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const now = Date.now();
  const id = parseTransferId(params.id);
  // The conversation's link is asked as soon as the session is known, beside the viewer's roles
  // (two round trips in all); it is shown only if the check lets the viewer in.
  const [{ user, transfer, parties, isRoadie }, threadHref] = await Promise.all([
    requireTransferViewer(request, params.id, now),
    requireUser(request).then((viewer) => (id ? threadLinkFor(viewer.id, "transfer", id, now) : null)),
  ]);
  const { successor, roadie, maintainers, confirmations, ...rest } = transfer;
  // The session's user is an admin by the same rule as isEffectiveAdmin (powers.server.ts).
  const canCheck = parties.includes("roadie") || user.isAdmin;
  return {
    transfer: {
      ...rest,
      successor: successor ? { login: successor.login, name: successor.name } : null,
      roadie: roadie ? { login: roadie.login, name: roadie.name } : null,
      maintainers: maintainers.map((m) => m.login),
      confirmations: confirmations.map((c) => ({
        party: c.party,
        by: c.by,
        stepDown: c.stepDown,
        confirmedAt: c.confirmedAt,
        mine: c.userId === user.id,
      })),
    },
    parties,
    canCheck,
    canShepherd: isRoadie && !transfer.roadieUserId && transfer.status === "in_progress",
    // The parties' conversation (the working group may join it).
    threadHref,
  };
}

type Viewer = Awaited<ReturnType<typeof requireTransferViewer>>;

const refusals: Record<Exclude<ConsentResult, { ok: true }>["reason"], [string, number]> = {
  "not-found": ["This transfer no longer exists.", 404],
  "unknown-step": ["That is not a step of this checklist.", 400],
  closed: ["This transfer is finished.", 409],
  "not-your-step": [
    "Only the party a step belongs to can tick it: the current maintainer, the successor or the shepherd roadie. A roadie can mark it checked instead.",
    403,
  ],
  "not-shepherd": ["Only the roadie shepherding this transfer (or an admin) can mark steps as checked.", 403],
  "no-evidence": ["Say what you checked, and where.", 400],
  "not-ready": ["Both sides confirm once every step of the checklist is ticked.", 409],
  "not-your-side": [
    "Only a verified maintainer confirms for the maintainer, and only the successor for the successor.",
    403,
  ],
  "same-person": ["The two confirmations must come from two people: the current maintainer and the successor.", 409],
  "not-confirmed": ["The transfer completes once a verified maintainer and the successor have both confirmed it.", 409],
  "no-repository": [
    "This package has no GitHub repository on Roadies, so the successor's access cannot be checked. Ask the working group.",
    409,
  ],
  "no-permission": [
    "GitHub does not show the successor with admin or maintain on the repository yet. Grant it, then check again.",
    409,
  ],
  "github-unavailable": ["GitHub could not be asked about the successor's access. Try again in a few minutes.", 503],
};

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireTransferViewer(request, params.id);
  const formData = await readFormData(request);
  // Outsiders to the checklist (other roadies, the working group) may only volunteer to shepherd.
  invariantResponse(viewer.canWork || formData.get("intent") === "shepherd", "Forbidden", { status: 403 });
  const submission = parseWithZod(formData, { schema: transferActionSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { user, transfer } = viewer;
  const value = submission.value;
  const answer = (result: ConsentResult) => {
    if (result.ok) return redirect(`/transfers/${transfer.id}`);
    const [message, status] = refusals[result.reason];
    const detail = result.reason === "no-permission" && result.role ? ` (GitHub says: ${result.role})` : "";
    return data(submission.reply({ formErrors: [message + detail] }), { status });
  };
  switch (value.intent) {
    case "shepherd":
      return shepherd(viewer, submission.reply);
    case "tick":
    case "untick":
      return answer(await tickStep(user.id, transfer.id, value.step, value.intent === "tick"));
    case "check":
      return answer(await checkStep(user.id, transfer.id, value.step, value.note));
    case "confirm":
      return answer(await confirmTransfer(user.id, transfer.id, value.side, { stepDown: value.stepDown ?? false }));
    case "complete":
      return answer(await complete(viewer));
    case "notes":
      await saveHandoffNotes(user.id, transfer, value.handoffNotes ?? "");
      return redirect(`/transfers/${transfer.id}`);
  }
}

async function shepherd(
  { user, transfer }: Viewer,
  reply: (o: { formErrors: string[] }) => SubmissionResult<string[]>,
) {
  if (!(await shepherdTransfer(user.id, transfer.id)))
    return data(
      reply({ formErrors: ["Another roadie already took this transfer, or you are not an active roadie."] }),
      {
        status: 409,
      },
    );
  return redirect(`/transfers/${transfer.id}`);
}

/** Checking GitHub again is for the people taking part (and admins). */
async function complete({ user, transfer, parties }: Viewer): Promise<ConsentResult> {
  if (!parties.length && !user.isAdmin) return { ok: false, reason: "not-your-side" };
  return completeTransfer(user.id, transfer.id);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Step = LoaderData["transfer"]["steps"][number];

/** The action's reply, if it answers the form with this intent (and step). */
function replyTo(result: unknown, intent: string, step?: string): SubmissionResult<string[]> | undefined {
  const reply = result as SubmissionResult<string[]> | undefined;
  const initial = reply?.initialValue as Record<string, unknown> | undefined;
  if (!initial || initial.intent !== intent) return undefined;
  if (step !== undefined && initial.step !== step) return undefined;
  return reply;
}

function CheckForm({ step, result }: { step: Step; result: unknown }) {
  const [form, fields] = useSchemaForm(transferActionSchema, {
    id: `check-${step.id}`,
    lastResult: replyTo(result, "check", step.id),
  });
  const open = Boolean(replyTo(result, "check", step.id));
  return (
    <details open={open || undefined}>
      <summary>Mark “{step.label}” checked</summary>
      <Form method="post" className="stack" {...getFormProps(form)}>
        <FormErrors errors={form.errors} />
        <input type="hidden" name="step" value={step.id} />
        <Field
          field={fields.note}
          label="What you checked (evidence)"
          hint="A check is a record for everyone; it does not tick the step for its party."
        >
          {(aria) => <textarea {...getTextareaProps(fields.note)} {...aria} rows={3} />}
        </Field>
        <button type="submit" name="intent" value="check" className="button button-small button-secondary">
          Record the check
        </button>
      </Form>
    </details>
  );
}

function StepItem({
  step,
  mine,
  active,
  canCheck,
  result,
}: {
  step: Step;
  mine: boolean;
  active: boolean;
  canCheck: boolean;
  result: unknown;
}) {
  const tickReply = replyTo(result, step.doneAt ? "untick" : "tick", step.id);
  return (
    <li className={step.doneAt ? "step-done" : undefined}>
      <div>
        <strong>{step.label}</strong>
        <p className="muted">
          {partyLabels[step.responsible]}
          {step.doneAt ? ` · ticked by @${step.doneBy} on ${formatDateTime(step.doneAt)}` : " · not done yet"}
        </p>
        {step.check ? (
          <p>
            Checked by @{step.check.by} on {formatDateTime(step.check.checkedAt)}: {step.check.note}
          </p>
        ) : null}
      </div>
      {tickReply?.error?.[""] ? <FormErrors errors={tickReply.error[""]} /> : null}
      {mine && active ? (
        <Form method="post">
          <input type="hidden" name="step" value={step.id} />
          <button
            type="submit"
            name="intent"
            value={step.doneAt ? "untick" : "tick"}
            className={step.doneAt ? "link-button" : "button button-small"}
          >
            {step.doneAt ? `Undo “${step.label}”` : `Mark “${step.label}” done`}
          </button>
        </Form>
      ) : null}
      {canCheck && active ? <CheckForm step={step} result={result} /> : null}
    </li>
  );
}

function ConfirmForm({ side, result }: { side: "maintainer" | "successor"; result: unknown }) {
  const [form, fields] = useSchemaForm(transferActionSchema, {
    id: `confirm-${side}`,
    lastResult: replyTo(result, "confirm"),
  });
  return (
    <Form method="post" className="stack" {...getFormProps(form)}>
      <FormErrors errors={form.errors} />
      <input type="hidden" name="side" value={side} />
      {side === "maintainer" ? (
        <div className="field field-checkbox">
          <input {...getInputProps(fields.stepDown, { type: "checkbox" })} />
          <label htmlFor={fields.stepDown.id}>
            I step down as a maintainer of this package when the transfer completes
          </label>
        </div>
      ) : null}
      <button type="submit" name="intent" value="confirm" className="button">
        {side === "maintainer"
          ? "Confirm the handover as the current maintainer"
          : "Confirm the handover as the successor"}
      </button>
    </Form>
  );
}

export default function TransferPage() {
  const { transfer: t, parties, canCheck, canShepherd, threadHref } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const done = t.steps.filter((s) => s.doneAt).length;
  const active = t.status === "in_progress";
  const ready = done === t.steps.length;
  const confirmed = (side: "maintainer" | "successor") => t.confirmations.find((c) => c.party === side);
  const mineAlready = t.confirmations.some((c) => c.mine);
  const canConfirm = (side: "maintainer" | "successor") =>
    active && ready && parties.includes(side) && !confirmed(side) && !mineAlready;
  const bothConfirmed = Boolean(confirmed("maintainer") && confirmed("successor"));
  const generalReply = replyTo(result, "complete") ?? replyTo(result, "shepherd") ?? replyTo(result, "notes");
  return (
    <section className="stack">
      <p>
        <Link to={`/calls/${t.callId}`}>← {t.callTitle}</Link>
      </p>
      <h1>Ownership transfer of {t.packageName}</h1>
      <FormErrors errors={generalReply?.error?.[""]} />
      {threadHref ? (
        <p>
          <Link to={threadHref}>The conversation about this handover</Link>
        </p>
      ) : null}
      {t.status === "completed" ? (
        <div className="alert" role="status">
          <p>
            Transfer complete{t.completedAt ? ` on ${formatDateTime(t.completedAt)}` : ""}. Both sides confirmed it, the
            call is marked filled and @{t.successor?.login ?? "the successor"} is a verified maintainer.
          </p>
        </div>
      ) : null}
      <dl className="facts">
        <dt>Current maintainers</dt>
        <dd>{t.maintainers.length ? t.maintainers.map((m) => `@${m}`).join(", ") : "None verified"}</dd>
        <dt>Successor</dt>
        <dd>
          {t.successor ? <Link to={`/people/${t.successor.login}`}>@{t.successor.login}</Link> : "A former member"}
        </dd>
        <dt>Roadie</dt>
        <dd>{t.roadie ? <Link to={`/people/${t.roadie.login}`}>@{t.roadie.login}</Link> : "Nobody yet"}</dd>
        <dt>Repository</dt>
        <dd>{t.repository ?? "None recorded"}</dd>
        <dt>You are</dt>
        <dd>{parties.length ? parties.map((p) => partyLabels[p]).join(", ") : "Following along"}</dd>
      </dl>
      {canShepherd ? (
        <Form method="post">
          <button type="submit" name="intent" value="shepherd" className="button">
            Shepherd this transfer
          </button>
        </Form>
      ) : null}
      <h2>
        Checklist ({done} of {t.steps.length} done)
      </h2>
      <p className="muted">
        Each step is ticked by the person it belongs to. The roadie can mark a step checked, with what they saw, but
        cannot tick it for someone else.
      </p>
      <ol className="checklist">
        {t.steps.map((s) => (
          <StepItem
            key={s.id}
            step={s}
            mine={parties.includes(s.responsible)}
            active={active}
            canCheck={canCheck}
            result={result}
          />
        ))}
      </ol>
      <h2>Confirmations</h2>
      <p className="muted">
        Once every step is ticked, the current maintainer and the successor each confirm the handover. It then completes
        if GitHub shows the successor with admin or maintain on the repository.
      </p>
      <ul aria-label="Confirmations">
        {(["maintainer", "successor"] as const).map((side) => {
          const c = confirmed(side);
          return (
            <li key={side}>
              {partyLabels[side]}:{" "}
              {c
                ? `confirmed by @${c.by} on ${formatDateTime(c.confirmedAt)}${c.stepDown ? " (steps down as maintainer)" : ""}`
                : "not yet"}
            </li>
          );
        })}
      </ul>
      {canConfirm("maintainer") ? <ConfirmForm side="maintainer" result={result} /> : null}
      {canConfirm("successor") ? <ConfirmForm side="successor" result={result} /> : null}
      {active && !ready ? <p>Confirmations open once all {t.steps.length} steps are ticked.</p> : null}
      {active && t.successorPermission && t.permissionCheckedAt ? (
        <p>
          GitHub showed @{t.successor?.login} with the role “{t.successorPermission}” on {t.repository} on{" "}
          {formatDateTime(t.permissionCheckedAt)}.
        </p>
      ) : null}
      {active && bothConfirmed && parties.length ? (
        <Form method="post">
          <button type="submit" name="intent" value="complete" className="button button-secondary">
            Check GitHub again and complete
          </button>
        </Form>
      ) : null}
      <h2>Handoff notes</h2>
      {t.handoffNotesHtml ? (
        <div className="prose" dangerouslySetInnerHTML={{ __html: t.handoffNotesHtml }} />
      ) : (
        <p className="muted">No notes yet.</p>
      )}
      {parties.length || canCheck ? (
        <Form method="post" className="stack">
          <div className="field">
            <label htmlFor="handoffNotes">Edit handoff notes (Markdown)</label>
            <textarea id="handoffNotes" name="handoffNotes" rows={8} defaultValue={t.handoffNotes} />
          </div>
          <button type="submit" name="intent" value="notes" className="button button-secondary">
            Save notes
          </button>
        </Form>
      ) : null}
    </section>
  );
}
