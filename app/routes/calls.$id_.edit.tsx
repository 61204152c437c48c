// The package's verified maintainers and working-group admins edit a call; everyone else gets 404.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { CallFormFields } from "#app/components/calls-form.tsx";
import { callFormSchema, MAX_EXPIRY_DAYS } from "#app/models/calls/forms.ts";
import { requireCallEditor, updateCall } from "#app/models/calls/calls.server.ts";
import { callFilterChoices } from "#app/models/calls/listing.server.ts";
import { djangoVersionChoices } from "#app/models/ecosystem/releases.server.ts";
import { versionsOf } from "#app/models/ecosystem/version-labels.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Edit the call · Roadies" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { call } = await requireCallEditor(request, params.id);
  const [choices, djangoVersions] = await Promise.all([
    callFilterChoices(),
    // The call keeps the versions it has, even one that reached its end of life since.
    djangoVersionChoices("new-call", call.djangoVersions),
  ]);
  const now = Date.now();
  return {
    call: {
      id: call.id,
      kind: call.kind,
      title: call.title,
      description: call.description,
      skills: call.skills.map((s) => `${s.skillId}:${s.level}`),
      hoursPerWeek: String(call.hoursPerWeek),
      djangoVersions: call.djangoVersions,
      urgency: call.urgency,
      mentoring: call.mentoring,
      expiresOn: call.expiresOn,
      packageName: call.packageName,
      status: call.status,
    },
    ...choices,
    djangoVersions,
    latestExpiry: isoDay(now + MAX_EXPIRY_DAYS * DAY_MS),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, call } = await requireCallEditor(request, params.id);
  const offered = versionsOf(await djangoVersionChoices("new-call", call.djangoVersions));
  const submission = parseWithZod(await readFormData(request), { schema: callFormSchema(Date.now(), offered) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  if (call.status === "filled" || call.status === "closed") {
    return data(submission.reply({ formErrors: ["This call is finished and can no longer be edited."] }), {
      status: 409,
    });
  }
  await updateCall(user, call, submission.value);
  return redirect(`/calls/${call.id}`);
}

export default function EditCall() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(callFormSchema(Date.now(), versionsOf(d.djangoVersions)), {
    id: `edit-call-${d.call.id}`,
    lastResult,
    defaultValue: {
      kind: d.call.kind,
      title: d.call.title,
      description: d.call.description,
      skills: d.call.skills,
      hoursPerWeek: d.call.hoursPerWeek,
      djangoVersions: d.call.djangoVersions,
      urgency: d.call.urgency,
      mentoring: d.call.mentoring ? "on" : undefined,
      expiresOn: d.call.expiresOn,
    } as never,
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/calls/${d.call.id}`}>← Back to the call</Link>
      </p>
      <h1>Edit the call for {d.call.packageName}</h1>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <CallFormFields
          fields={fields as never}
          skills={d.skills}
          djangoVersions={d.djangoVersions}
          latestExpiry={d.latestExpiry}
        />
        <p>
          <button type="submit" className="button">
            Save the call
          </button>
        </p>
      </Form>
    </section>
  );
}
