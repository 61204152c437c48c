// A verified maintainer (or a working-group admin) posts a call for one of their packages.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getSelectProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { CallFormFields } from "#app/components/calls-form.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { CallPrefill, callFormSchema, MAX_EXPIRY_DAYS } from "#app/models/calls/forms.ts";
import { createCall, defaultExpiry, postCallRule } from "#app/models/calls/calls.server.ts";
import { callFilterChoices } from "#app/models/calls/listing.server.ts";
import { djangoVersionChoices } from "#app/models/ecosystem/releases.server.ts";
import { versionsOf } from "#app/models/ecosystem/version-labels.ts";
import { announceSoon } from "#app/models/calls/announcements.server.ts";
import { getPackage } from "#app/models/packages/packages.server.ts";
import { canManagePackage, listManagedPackages } from "#app/models/packages/maintainers.server.ts";
import { db, schema } from "#app/utils/db.server.ts";
import { asc } from "drizzle-orm";
import { readFormData } from "#app/utils/form.server.ts";
import { DAY_MS, isoDay } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Post a call · Roadies" }];

function schemaFor(now: number, djangoVersions: readonly string[]) {
  return callFormSchema(now, djangoVersions).extend({
    package: z.string({ error: "Choose the package." }).trim().min(1, "Choose the package.").max(200),
  });
}

async function packageChoices(user: { id: number; isAdmin: boolean }) {
  if (!user.isAdmin) return listManagedPackages(user.id);
  const p = schema.packages;
  return db()
    .select({ id: p.id, name: p.name, normalizedName: p.normalizedName })
    .from(p)
    .orderBy(asc(p.normalizedName))
    .all();
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [packages, choices, djangoVersions] = await Promise.all([
    packageChoices(user),
    callFilterChoices(),
    djangoVersionChoices("new-call"),
  ]);
  const now = Date.now();
  const params = new URL(request.url).searchParams;
  const prefill = CallPrefill.parse({
    kind: params.get("kind") ?? undefined,
    django: params.get("django") ?? undefined,
  });
  return {
    packages: packages.map((p) => ({ name: p.name, slug: p.normalizedName })),
    preselected: params.get("package") ?? "",
    kind: prefill.kind ?? "",
    // Only a version the form offers: a link naming an unknown release prefills nothing.
    prefilledVersions: prefill.django && versionsOf(djangoVersions).includes(prefill.django) ? [prefill.django] : [],
    ...choices,
    // A new call offers supported and upcoming releases, not end-of-life ones.
    djangoVersions,
    defaultExpiry: defaultExpiry(now),
    latestExpiry: isoDay(now + MAX_EXPIRY_DAYS * DAY_MS),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  const offered = versionsOf(await djangoVersionChoices("new-call"));
  const submission = parseWithZod(formData, { schema: schemaFor(Date.now(), offered) });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const pkg = await getPackage(submission.value.package);
  if (!pkg || !(await canManagePackage(user, pkg.id))) {
    return data(
      submission.reply({ fieldErrors: { package: ["You can post calls only for packages you maintain on Roadies."] } }),
      {
        status: 403,
      },
    );
  }
  const limit = await hitRateLimit(postCallRule, String(user.id));
  if (!limit.allowed) {
    return data(
      submission.reply({
        formErrors: [
          `You have posted many calls today. Please try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
        ],
      }),
      { status: 429 },
    );
  }
  const id = await createCall(user, pkg.id, submission.value);
  announceSoon();
  return redirect(`/calls/${id}?posted=1`);
}

export default function NewCall() {
  const loaderData = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(schemaFor(Date.now(), versionsOf(loaderData.djangoVersions)), {
    id: "new-call",
    lastResult,
    defaultValue: {
      package: loaderData.preselected,
      kind: loaderData.kind,
      // Conform types a list's default from the schema's parsed output; the form posts strings.
      djangoVersions: loaderData.prefilledVersions as never,
      hoursPerWeek: "2",
      urgency: "normal",
      expiresOn: loaderData.defaultExpiry,
    },
  });
  if (!loaderData.packages.length) {
    return (
      <section className="stack narrow">
        <h1>Post a call</h1>
        <p>
          You can post calls for packages you maintain. First <Link to="/packages/new">add your package</Link>: Roadies
          checks with GitHub that you have the admin or maintain role on its repository.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>Post a call</h1>
      <p className="muted">
        Say what your package needs. Calls are public, expire, and end with an outcome, so volunteers can trust them.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field
          field={fields.package}
          label="Package"
          hint={
            <>
              Not listed? <Link to="/packages/new">Add a package</Link>.
            </>
          }
        >
          {(aria) => (
            <select {...getSelectProps(fields.package)} {...aria}>
              <option value="">Choose…</option>
              {loaderData.packages.map((p) => (
                <option key={p.slug} value={p.slug}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CallFormFields
          fields={fields as never}
          skills={loaderData.skills}
          djangoVersions={loaderData.djangoVersions}
          latestExpiry={loaderData.latestExpiry}
        />
        <p>
          <button type="submit" className="button">
            Post the call
          </button>
        </p>
      </Form>
    </section>
  );
}
