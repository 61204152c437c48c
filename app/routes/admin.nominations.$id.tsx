// /admin/nominations/:id: one nomination: contact, publish a call on a maintainer's behalf, or close.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, replyFor } from "#app/components/field.tsx";
import { requireRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import {
  closeNomination,
  listNominations,
  markContacted,
  publishForMaintainer,
} from "#app/models/calls/nominations.server.ts";
import { nominationReasonLabels, publishSchema } from "#app/models/calls/nominations-forms.ts";
import { callFormSchema, callKindLabels, callKinds, callUrgencies, urgencyLabels } from "#app/models/calls/forms.ts";
import { renderMarkdown } from "#app/utils/markdown.server.ts";
import { skillTaxonomy } from "#db/reference/skills.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Nomination · Roadies" }];

async function load(rawId: string | undefined) {
  const id = parseId(rawId);
  const all = [...(await listNominations({ open: true })), ...(await listNominations({ open: false }))];
  const nomination = all.find((x) => x.id === id);
  if (!nomination) throw notFound();
  return nomination;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRoadieOrWorkingGroup(request);
  const nomination = await load(params.id);
  return { nomination: { ...nomination, detailsHtml: nomination.details ? renderMarkdown(nomination.details) : "" } };
}

const closeSchema = z.object({
  reason: z
    .string({ error: "Say why you close it: the nominator reads this." })
    .trim()
    .min(5, "A few words at least.")
    .max(500),
});

type Nomination = Awaited<ReturnType<typeof load>>;
type Roadie = Awaited<ReturnType<typeof requireRoadieOrWorkingGroup>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRoadieOrWorkingGroup(request);
  const nomination = await load(params.id);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "contacted":
      await markContacted(user.id, nomination.id);
      return redirect(`/admin/nominations/${nomination.id}`);
    case "close":
      return close(user, nomination, formData);
    case "publish":
      return publish(user, nomination, formData);
    default:
      throw data({ message: "Unknown action." }, { status: 400 });
  }
}

async function close(user: Roadie, nomination: Nomination, formData: FormData) {
  const submission = parseWithZod(formData, { schema: closeSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await closeNomination(user.id, nomination.id, submission.value.reason);
  return redirect(`/admin/nominations/${nomination.id}`);
}

const publishProblems = {
  "not-open": "This nomination is already done.",
  "no-package": "This package is not on Roadies yet: a maintainer must add it first.",
  "not-maintainer": "That person is not a verified maintainer of this package on Roadies.",
} as const;

async function publish(user: Roadie, nomination: Nomination, formData: FormData) {
  const submission = parseWithZod(formData, { schema: callFormSchema().and(publishSchema) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await publishForMaintainer(user.id, nomination.id, submission.value.maintainer, submission.value);
  if (!result.ok) {
    return data(submission.reply({ fieldErrors: { maintainer: [publishProblems[result.reason]] } }), { status: 400 });
  }
  return redirect(`/calls/${result.callId}`);
}

export default function NominationPage() {
  const { nomination: x } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const publishFormSchema = callFormSchema().and(publishSchema);
  const [publishForm, f] = useForm({
    id: "publish",
    lastResult: replyFor(result, "publish"),
    defaultValue: {
      maintainer: x.maintainers[0] ?? "",
      kind: x.reason === "new-home" ? "new-maintainer" : "co-maintainer",
      urgency: x.reason === "blocking-release" ? "high" : "normal",
      hoursPerWeek: "2",
    },
    shouldValidate: "onBlur",
    onValidate: ({ formData }) => parseWithZod(formData, { schema: publishFormSchema }),
  });
  const [closeForm, cf] = useForm({
    id: "close",
    lastResult: replyFor(result, "close"),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: closeSchema }),
  });
  const active = x.status === "open" || x.status === "contacted";
  return (
    <section className="stack">
      <p>
        <Link to="/admin/nominations">← Nominations</Link>
      </p>
      <h1>Nomination: {x.packageName}</h1>
      <p>
        <span className="tag">{nominationReasonLabels[x.reason]}</span> · by @{x.nominator ?? "a former member"} on{" "}
        {formatShortDate(x.createdAt)}
      </p>
      <ul aria-label="Evidence">
        {x.evidence.map((e) => (
          <li key={e}>
            {/* Checked again here: stored links may predate or bypass the form's https:// rule. */}
            {/^https?:\/\//i.test(e) ? (
              <a href={e} rel="nofollow ugc noopener">
                {e}
              </a>
            ) : (
              e
            )}
          </li>
        ))}
      </ul>
      {x.detailsHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: x.detailsHtml }} /> : null}
      <p>
        {x.packageId ? (
          <>
            On Roadies: <Link to={`/packages/${x.normalizedName}`}>{x.packageName}</Link>
            {x.maintainers.length
              ? ` · verified maintainers: ${x.maintainers.map((m) => `@${m}`).join(", ")}`
              : " · no verified maintainer yet"}
          </>
        ) : (
          "This package is not on Roadies yet."
        )}
      </p>
      {x.status === "published" && x.callId ? (
        <p>
          Published as <Link to={`/calls/${x.callId}`}>call {x.callId}</Link>.
        </p>
      ) : null}
      {x.status === "closed" ? <p>Closed: {x.closeReason}</p> : null}
      {active ? (
        <>
          {x.status === "open" ? (
            <Form method="post">
              <button type="submit" name="intent" value="contacted" className="button button-secondary">
                Mark maintainers as contacted
              </button>
            </Form>
          ) : (
            <p>Maintainers contacted.</p>
          )}
          <Form method="post" {...getFormProps(publishForm)} className="card stack">
            <h2>Publish a call on a maintainer&rsquo;s behalf</h2>
            <p className="muted">
              Once a maintainer agrees. The call is posted as theirs; your part is in the audit log.
            </p>
            <FormErrors errors={publishForm.errors} />
            <Field field={f.maintainer} label="Maintainer who agreed (GitHub login)">
              {(aria) => <input {...getInputProps(f.maintainer, { type: "text" })} {...aria} />}
            </Field>
            <Field field={f.kind} label="Kind of help">
              {(aria) => (
                <select {...getSelectProps(f.kind)} {...aria}>
                  {callKinds.map((k) => (
                    <option key={k} value={k}>
                      {callKindLabels[k]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field field={f.title} label="Title">
              {(aria) => <input {...getInputProps(f.title, { type: "text" })} {...aria} />}
            </Field>
            <Field field={f.description} label="Description" hint="Markdown works.">
              {(aria) => <textarea {...getTextareaProps(f.description)} rows={6} {...aria} />}
            </Field>
            <Field field={f.skills} label="Skills needed" hint="Hold Ctrl or Cmd to choose several.">
              {(aria) => (
                <select name={f.skills.name} multiple size={8} {...aria}>
                  {skillTaxonomy.map((s) => (
                    <option key={s.id} value={`${s.id}:comfortable`}>
                      {s.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field field={f.hoursPerWeek} label="Hours a week">
              {(aria) => <input {...getInputProps(f.hoursPerWeek, { type: "number" })} min={1} max={40} {...aria} />}
            </Field>
            <Field field={f.urgency} label="Urgency">
              {(aria) => (
                <select {...getSelectProps(f.urgency)} {...aria}>
                  {callUrgencies.map((u) => (
                    <option key={u} value={u}>
                      {urgencyLabels[u]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit" name="intent" value="publish" className="button">
              Publish the call
            </button>
          </Form>
          <Form method="post" {...getFormProps(closeForm)} className="card stack">
            <h2>Close without a call</h2>
            <Field field={cf.reason} label="Reason" hint="The nominator gets this by email.">
              {(aria) => <input {...getInputProps(cf.reason, { type: "text" })} {...aria} />}
            </Field>
            <button type="submit" name="intent" value="close" className="button button-secondary">
              Close nomination
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
