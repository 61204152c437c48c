// /admin/moderation: the queue of reports people filed (each marked handled or declined with a note,
// which is emailed to the person who reported), hiding a call, interest or profile (with a reason,
// reversible) and suspending accounts (signed out at once, no sign-in, public content hidden). All audited.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import {
  listSuspensions,
  moderationTargetExists,
  suspendAccount,
  unsuspendAccount,
} from "#app/models/people/suspension.server.ts";
import { hideContent, listHidden, unhideContent } from "#app/models/moderation/hides.server.ts";
import { findUserIdByLogin } from "#app/models/people/roadies.server.ts";
import {
  decideReportSchema,
  hideSchema,
  reportStatusLabels,
  reportTypeLabels,
  suspendSchema,
} from "#app/models/moderation/forms.ts";
import {
  decideReport,
  listDecidedReports,
  listOpenReports,
  reportObjectHref,
} from "#app/models/moderation/reports.server.ts";
import { messageForModeration } from "#app/models/conversations/messages.server.ts";
import { hideableTypes } from "#db/schema.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { formatShortDate } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Moderation · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const login = new URL(request.url).searchParams.get("login") ?? "";
  const [hidden, suspended, open, decided] = await Promise.all([
    listHidden(),
    listSuspensions(),
    listOpenReports(),
    listDecidedReports(),
  ]);
  const reports = await Promise.all(
    open.map(async (r) => ({
      ...r,
      href: await reportObjectHref(r.objectType, r.objectId),
      // A conversation is for its members only: the queue quotes the reported message itself.
      quoted: r.objectType === "message" ? await messageForModeration(r.objectId) : null,
    })),
  );
  return { reports, decided, hidden, suspended, login: /^[A-Za-z0-9-]{1,39}$/.test(login) ? login : "" };
}

type Admin = Awaited<ReturnType<typeof requireAdmin>>;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "decide":
      return decide(admin, formData);
    case "hide":
      return hide(admin, formData);
    case "unhide":
      return unhide(admin, formData);
    case "suspend":
      return suspend(admin, formData);
    case "unsuspend":
      return unsuspend(admin, formData);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

async function decide(admin: Admin, formData: FormData) {
  const submission = parseWithZod(formData, { schema: decideReportSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await decideReport(admin, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return redirect("/admin/moderation");
}

async function hide(admin: Admin, formData: FormData) {
  const submission = parseWithZod(formData, { schema: hideSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { objectType, reason } = submission.value;
  const target = submission.value.target.replace(/^@/, "");
  const id = await moderationTargetExists(objectType, target);
  if (id === null) {
    return data(submission.reply({ fieldErrors: { target: [`No ${objectType} matches “${target}”.`] } }), {
      status: 400,
    });
  }
  await hideContent(objectType, id, reason, admin.id);
  return redirect("/admin/moderation");
}

async function unhide(admin: Admin, formData: FormData) {
  const objectType = hideableTypes.find((t) => t === formData.get("objectType"));
  if (!objectType) throw notFound();
  await unhideContent(objectType, parseId(formData.get("objectId")), admin.id);
  return redirect("/admin/moderation");
}

async function suspend(admin: Admin, formData: FormData) {
  const submission = parseWithZod(formData, { schema: suspendSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const subject = await findUserIdByLogin(submission.value.login.replace(/^@/, ""));
  if (!subject) {
    return data(submission.reply({ fieldErrors: { login: ["Nobody on Roadies has that login."] } }), { status: 400 });
  }
  if (subject.id === admin.id) {
    return data(submission.reply({ fieldErrors: { login: ["You cannot suspend yourself."] } }), { status: 400 });
  }
  await suspendAccount(subject.id, submission.value.reason, admin.id);
  return redirect("/admin/moderation");
}

async function unsuspend(admin: Admin, formData: FormData) {
  await unsuspendAccount(parseId(formData.get("userId")), admin.id);
  return redirect("/admin/moderation");
}

const typeLabels = { call: "Call", interest: "Interest", profile: "Profile", message: "Message" } as const;

type OpenReport = ReturnType<typeof useLoaderData<typeof loader>>["reports"][number];

/** One open report and its answer; shows the action's reply only when it answers this report. */
function ReportItem({ report }: { report: OpenReport }) {
  const result = useActionData<typeof action>();
  const mine = replyFor(result, "decide");
  const [form, fields] = useSchemaForm(decideReportSchema, {
    id: `decide-${report.id}`,
    lastResult: mine?.initialValue?.reportId === String(report.id) ? mine : undefined,
  });
  const what = reportTypeLabels[report.objectType];
  return (
    <li className="card stack">
      <p>
        <strong>
          {report.quoted ? (
            `A ${what}`
          ) : report.href ? (
            <Link to={report.href}>A {what}</Link>
          ) : (
            `A ${what} (no longer there)`
          )}
        </strong>{" "}
        <span className="muted">
          reported by @{report.reporter}, {formatShortDate(report.createdAt)}
        </span>
      </p>
      {report.quoted ? (
        <blockquote className="report-quote">
          <p className="muted">
            Message {report.objectId} by @{report.quoted.author ?? "a former member"}:
          </p>
          <p>{report.quoted.text}</p>
        </blockquote>
      ) : null}
      <p className="report-reason">{report.reason}</p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="decide" />
        <input type="hidden" name="reportId" value={report.id} />
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend>Outcome</legend>
          <label>
            <input type="radio" name={fields.status.name} value="handled" defaultChecked /> Handled: we acted on it
          </label>{" "}
          <label>
            <input type="radio" name={fields.status.name} value="declined" /> Declined: no action
          </label>
        </fieldset>
        <Field field={fields.note} label="Note to the person who reported" hint="Emailed to them.">
          {(aria) => <textarea {...getTextareaProps(fields.note)} rows={2} {...aria} />}
        </Field>
        <button type="submit" className="button">
          Decide report {report.id}
        </button>
      </Form>
    </li>
  );
}

export default function Moderation() {
  const { reports, decided, hidden, suspended, login } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [hideForm, hideFields] = useSchemaForm(hideSchema, {
    id: "hide",
    lastResult: replyFor(result, "hide"),
    defaultValue: { objectType: login ? "profile" : "call", target: login },
  });
  const [suspendForm, suspendFields] = useSchemaForm(suspendSchema, {
    id: "suspend",
    lastResult: replyFor(result, "suspend"),
    defaultValue: { login },
  });
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Moderation</h1>
      <section className="stack" aria-labelledby="reports-heading">
        <h2 id="reports-heading">Reports ({reports.length} open)</h2>
        {reports.length ? (
          <ul className="stack report-queue">
            {reports.map((r) => (
              <ReportItem key={r.id} report={r} />
            ))}
          </ul>
        ) : (
          <p>No open reports.</p>
        )}
        {decided.length ? (
          <details>
            <summary>Recently decided</summary>
            <ul>
              {decided.map((r) => (
                <li key={r.id}>
                  Report {r.id} ({reportTypeLabels[r.objectType]}): {reportStatusLabels[r.status]} by @{r.by ?? "?"}
                  {r.decidedAt ? `, ${formatShortDate(r.decidedAt)}` : ""}: {r.note}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
      <div className="grid">
        <Form method="post" {...getFormProps(hideForm)} className="card stack">
          <h2>Hide content</h2>
          <FormErrors errors={hideForm.errors} />
          <Field field={hideFields.objectType} label="What">
            {(aria) => (
              <select {...getSelectProps(hideFields.objectType)} {...aria}>
                {hideableTypes.map((t) => (
                  <option key={t} value={t}>
                    {typeLabels[t]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field
            field={hideFields.target}
            label="Number or login"
            hint="The call or interest number, or the person's login for a profile."
          >
            {(aria) => <input {...getInputProps(hideFields.target, { type: "text" })} {...aria} />}
          </Field>
          <Field field={hideFields.reason} label="Reason">
            {(aria) => <input {...getInputProps(hideFields.reason, { type: "text" })} {...aria} />}
          </Field>
          <button type="submit" name="intent" value="hide" className="button">
            Hide
          </button>
        </Form>
        <Form method="post" {...getFormProps(suspendForm)} className="card stack">
          <h2>Suspend an account</h2>
          <p className="muted">
            Their sessions end at once, they cannot sign in, and their profile and calls are hidden.
          </p>
          <FormErrors errors={suspendForm.errors} />
          <Field field={suspendFields.login} label="GitHub login">
            {(aria) => <input {...getInputProps(suspendFields.login, { type: "text" })} {...aria} />}
          </Field>
          <Field field={suspendFields.reason} label="Reason">
            {(aria) => <input {...getInputProps(suspendFields.reason, { type: "text" })} {...aria} />}
          </Field>
          <button type="submit" name="intent" value="suspend" className="button">
            Suspend account
          </button>
        </Form>
      </div>
      <h2>Hidden content</h2>
      {hidden.length ? (
        <ul>
          {hidden.map((h) => (
            <li key={`${h.objectType}-${h.objectId}`}>
              <Form method="post" className="inline-form">
                {typeLabels[h.objectType]} {h.objectId}: {h.reason}{" "}
                <span className="muted">
                  (by @{h.by ?? "?"}, {formatShortDate(h.createdAt)})
                </span>{" "}
                <input type="hidden" name="objectType" value={h.objectType} />
                <input type="hidden" name="objectId" value={h.objectId} />
                <button type="submit" name="intent" value="unhide" className="link-button">
                  Show {typeLabels[h.objectType].toLowerCase()} {h.objectId} again
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing is hidden.</p>
      )}
      <h2>Suspended accounts</h2>
      {suspended.length ? (
        <ul>
          {suspended.map((s) => (
            <li key={s.userId}>
              <Form method="post" className="inline-form">
                @{s.login}: {s.reason} <span className="muted">({formatShortDate(s.createdAt)})</span>{" "}
                <input type="hidden" name="userId" value={s.userId} />
                <button type="submit" name="intent" value="unsuspend" className="link-button">
                  Lift the suspension of @{s.login}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>No account is suspended.</p>
      )}
    </section>
  );
}
