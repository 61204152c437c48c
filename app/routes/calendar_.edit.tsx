// Working-group admins add a release or correct its dates when Django publishes a schedule.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors } from "#app/components/field.tsx";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { correctRelease, listDjangoReleases } from "#app/models/ecosystem/releases.server.ts";
import { milestoneLabels, releaseMilestoneOrder as releaseMilestones } from "#app/models/ecosystem/labels.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Correct release dates · Roadies" }];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD, e.g. 2027-04-07.")
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      message: "This is not a real date.",
    },
  )
  .optional();

const ReleaseForm = z
  .object({
    version: z
      .string({ error: "Enter a version, e.g. 6.2 or 2028." })
      .trim()
      .regex(/^(\d\.\d|\d{4}(\.\d)?)$/, "A feature version looks like 6.2 or 2028 (or 2028.1)."),
    lts: z.boolean().default(false),
    alphaDate: isoDate,
    alphaDateConfirmed: z.boolean().default(false),
    betaDate: isoDate,
    betaDateConfirmed: z.boolean().default(false),
    rcDate: isoDate,
    rcDateConfirmed: z.boolean().default(false),
    releaseDate: isoDate,
    releaseDateConfirmed: z.boolean().default(false),
    mainstreamSupportEnd: isoDate,
    mainstreamSupportEndConfirmed: z.boolean().default(false),
    extendedSupportEnd: isoDate,
    extendedSupportEndConfirmed: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    const order = releaseMilestones.map((m) => [m, v[m]] as const).filter(([, d]) => d);
    for (let i = 1; i < order.length; i++) {
      if (order[i]![1]! < order[i - 1]![1]!) {
        ctx.addIssue({
          code: "custom",
          path: [order[i]![0]],
          message: `This must not be before the ${milestoneLabels[order[i - 1]![0]]}.`,
        });
      }
    }
  });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const releases = await listDjangoReleases();
  const version = new URL(request.url).searchParams.get("version");
  const selected = releases.find((r) => r.version === version) ?? null;
  return { releases: releases.map((r) => r.version), selected };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const submission = parseWithZod(await readFormData(request), { schema: ReleaseForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const dates = Object.fromEntries(
    releaseMilestones.map((m) => [m, { date: v[m] ?? null, confirmed: v[`${m}Confirmed`] }]),
  );
  await correctRelease({ version: v.version, lts: v.lts, dates }, admin.id);
  return redirect(`/calendar?updated=${encodeURIComponent(v.version)}`);
}

/**
 * A plain checkbox that keeps its element across validations: Conform's own props re-key the
 * input when the server's reply arrives, which undid the next click.
 */
function Checkbox({ field }: { field: { id: string; name: string; initialValue?: unknown } }) {
  return (
    <input
      type="checkbox"
      id={field.id}
      name={field.name}
      value="on"
      defaultChecked={field.initialValue === "on" || field.initialValue === true}
    />
  );
}

export default function EditCalendar() {
  const { releases, selected } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const defaults: Record<string, string | boolean> = { version: selected?.version ?? "", lts: selected?.lts ?? false };
  for (const m of releaseMilestones) {
    defaults[m] = selected?.dates[m] ?? "";
    defaults[`${m}Confirmed`] = selected?.confirmed[m] ?? false;
  }
  const [form, fields] = useForm<z.input<typeof ReleaseForm>>({
    id: `release-${selected?.version ?? "new"}`,
    lastResult,
    defaultValue: defaults as z.input<typeof ReleaseForm>,
    // Validated on the server only: the rules compare dates across fields, and client-side
    // revalidation re-synced the checkboxes and undid clicks.
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to="/calendar">← Calendar</Link>
      </p>
      <h1>{selected ? `Correct the dates of Django ${selected.version}` : "Add or correct a Django release"}</h1>
      <nav aria-label="Releases">
        <p>
          Edit:{" "}
          {releases.map((v, i) => (
            <span key={v}>
              {i ? " · " : ""}
              <Link to={`/calendar/edit?version=${v}`}>{v}</Link>
            </span>
          ))}{" "}
          · <Link to="/calendar/edit">a new release</Link>
        </p>
      </nav>
      <p className="muted">
        Tick &ldquo;confirmed&rdquo; once Django has published the date; leave it unticked while it is a plan. Leave a
        date empty when it is not announced.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field field={fields.version} label="Version" hint="e.g. 6.2, 2028 or 2028.1">
          {(aria) => (
            <input {...getInputProps(fields.version, { type: "text" })} {...aria} readOnly={Boolean(selected)} />
          )}
        </Field>
        <div className="field field-checkbox">
          <Checkbox field={fields.lts} />
          <label htmlFor={fields.lts.id}>Long-term support release</label>
        </div>
        {releaseMilestones.map((m) => {
          const confirmed = fields[`${m}Confirmed`];
          return (
            <fieldset key={m} className="milestone-fieldset">
              <legend>{milestoneLabels[m][0]!.toUpperCase() + milestoneLabels[m].slice(1)}</legend>
              <Field field={fields[m]} label="Date">
                {(aria) => <input {...getInputProps(fields[m], { type: "date" })} {...aria} />}
              </Field>
              <div className="field field-checkbox">
                <Checkbox field={confirmed} />
                <label htmlFor={confirmed.id}>Confirmed by Django</label>
              </div>
            </fieldset>
          );
        })}
        <p>
          <button type="submit" className="button">
            Save dates
          </button>
        </p>
      </Form>
    </section>
  );
}
