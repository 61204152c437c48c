// /requests/new: a verified maintainer files a special request for one of their packages.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { FILE_RATE_RULE, fileRequest, listFilablePackages } from "#app/models/requests/requests.server.ts";
import {
  fileRequestSchema,
  kindDescriptions,
  kindLabels,
  requestKinds,
  requestSeverities,
  severityLabels,
} from "#app/models/requests/forms.ts";

export const meta: MetaFunction = () => [{ title: "File a special request · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const packages = await listFilablePackages(user.id);
  const wanted = new URL(request.url).searchParams.get("package");
  const preselected = packages.find((p) => p.name.toLowerCase() === wanted?.toLowerCase())?.id ?? packages[0]?.id;
  return { packages, preselected: preselected ? String(preselected) : "" };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: fileRequestSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await hitRateLimit(FILE_RATE_RULE, `user:${user.id}`);
  if (!limit.allowed) {
    return data(
      submission.reply({
        formErrors: [
          `You have filed several requests in the last hour. Please try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
        ],
      }),
      { status: 429 },
    );
  }
  const result = await fileRequest(user.id, submission.value);
  if (!result.ok) return data(submission.reply({ fieldErrors: { [result.field]: [result.problem] } }), { status: 400 });
  return redirect(`/requests/${result.id}`);
}

export default function NewRequest() {
  const { packages, preselected } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm<
    typeof fileRequestSchema,
    {
      packageId: string;
      kind: string;
      severity: string;
      confidential: string;
      title: string;
      details: string;
    }
  >(fileRequestSchema, {
    id: "file-request",
    lastResult,
    defaultValue: { packageId: preselected, kind: "security", severity: "", title: "", details: "" },
  });
  if (packages.length === 0) {
    return (
      <div className="stack narrow">
        <h1>File a special request</h1>
        <p>
          Only verified maintainers of a package can file requests for it. Add your package on the{" "}
          <Link to="/packages">packages page</Link> and confirm your maintainer access through GitHub first.
        </p>
      </div>
    );
  }
  return (
    <div className="stack narrow">
      <h1>File a special request</h1>
      <p>
        One expert from the pool for the kind you choose gets your request at once and must acknowledge it. Security
        requests are always confidential: only your package&rsquo;s verified maintainers, the experts assigned and the
        working-group admins can see them.
      </p>
      <p>
        Before you start, our guides may help: <Link to="/guides/security">handling a vulnerability report</Link> and{" "}
        <Link to="/guides/funding">funding a Django package</Link>.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field field={fields.packageId} label="Package">
          {(aria) => (
            <select {...getSelectProps(fields.packageId)} {...aria}>
              {packages.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field field={fields.kind} label="What do you need help with?">
          {(aria) => (
            <select {...getSelectProps(fields.kind)} {...aria}>
              {requestKinds.map((k) => (
                <option key={k} value={k}>
                  {kindLabels[k]}: {kindDescriptions[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          field={fields.severity}
          label="Severity (security requests)"
          hint="How bad the vulnerability is, if you know: it sets how soon an expert must acknowledge (critical: 1 week … none: 16 weeks)."
        >
          {(aria) => (
            <select {...getSelectProps(fields.severity)} {...aria}>
              <option value="">Not a security request</option>
              {requestSeverities.map((s) => (
                <option key={s} value={s}>
                  {severityLabels[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="field">
          <label>
            <input {...getInputProps(fields.confidential, { type: "checkbox" })} /> Keep this request confidential
          </label>
          <p className="field-hint">Security requests are confidential whatever you choose here.</p>
        </div>
        <Field field={fields.title} label="Title">
          {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} />}
        </Field>
        <Field
          field={fields.details}
          label="Details"
          hint="Markdown. For a vulnerability: what is affected, how it was reported, what you have done so far."
        >
          {(aria) => <textarea {...getTextareaProps(fields.details)} rows={10} {...aria} />}
        </Field>
        <p>
          <button type="submit" className="button">
            File the request
          </button>
        </p>
      </Form>
    </div>
  );
}
