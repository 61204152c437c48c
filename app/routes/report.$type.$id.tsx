// /report/:type/:id: a signed-in person reports a call, a profile, a comment or an interest's
// message they can see to the working group, with a reason; once per object. The "Report" buttons
// on those pages are plain links here, so reporting works without JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import {
  fileReport,
  findReportTarget,
  getOwnReport,
  parseReportableType,
} from "#app/models/moderation/reports.server.ts";
import { reportSchema } from "#app/models/moderation/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { formatDate } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Report · Roadies" }];

/** The person and what they report, or the same 404 for a missing object and one they cannot see. */
async function reportContext(
  request: Request,
  params: LoaderFunctionArgs["params"],
  pendingUser = requireUser(request),
) {
  // The object is looked up beside the session (db.server.ts) and checked against the person.
  const type = parseReportableType(params.type);
  const [user, target] = await Promise.all([pendingUser, type ? findReportTarget(pendingUser, type, params.id) : null]);
  if (!target) throw notFound();
  return { user, target };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const pendingUser = requireUser(request);
  // The person's own report, asked beside the object's check when the page names the object by its
  // id (every type but a profile): their own row, used only once the object proved reportable.
  const type = parseReportableType(params.type);
  const named = type && type !== "profile" && /^\d{1,12}$/.test(params.id ?? "") ? String(Number(params.id)) : null;
  const [{ user, target }, early] = await Promise.all([
    reportContext(request, params, pendingUser),
    type && named ? pendingUser.then((u) => getOwnReport(u.id, { type, id: named })) : undefined,
  ]);
  const existing = named === target.id ? early : await getOwnReport(user.id, target);
  return { target, existing: existing ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, target } = await reportContext(request, params);
  const submission = parseWithZod(await readFormData(request), { schema: reportSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const filed = await fileReport(user, target, submission.value.reason);
  if (!filed.ok) return data(submission.reply({ formErrors: [filed.message] }), { status: 409 });
  return redirect(`/report/${target.type}/${params.id}`);
}

const outcomes = {
  open: "The working group has not answered yet; you will get an email when it does.",
  handled: "The working group acted on it.",
  declined: "The working group decided to take no action.",
} as const;

export default function Report() {
  const { target, existing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(reportSchema, {
    id: "report",
    lastResult: result,
  });
  return (
    <section className="stack narrow">
      <h1>Report {target.label}</h1>
      <p>
        <Link to={target.href}>← Back</Link>
      </p>
      {existing ? (
        <div className="alert" role="status">
          <p>
            You reported this on {formatDate(existing.createdAt)}. {outcomes[existing.status]}
          </p>
          {existing.status !== "open" && existing.note ? <p>Their note: {existing.note}</p> : null}
        </div>
      ) : (
        <Form method="post" {...getFormProps(form)} className="card stack">
          <p>
            The working group reads every report and tells you what it did. The person you report is not told who
            reported them.
          </p>
          <FormErrors errors={form.errors} />
          <Field field={fields.reason} label="What is wrong?" hint="Between 10 and 1,000 characters.">
            {(aria) => <textarea {...getTextareaProps(fields.reason)} rows={5} {...aria} />}
          </Field>
          <button type="submit" className="button">
            Send the report
          </button>
        </Form>
      )}
    </section>
  );
}
