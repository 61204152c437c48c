// Add a package: its PyPI name and GitHub repository; GitHub must confirm admin or maintain, and
// PyPI must link the project to the repository for a verified maintainer (else "claimed, unconfirmed").
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { hitRateLimit } from "#app/utils/rate-limit.server.ts";
import { PackageForm } from "#app/models/calls/forms.ts";
import { addPackage, packageProblemMessages } from "#app/models/packages/packages.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { HOUR_MS } from "#app/utils/dates.ts";
import { env } from "#app/utils/env.server.ts";
import { demoSandboxFor } from "#db/demo/personas.ts";

export const meta: MetaFunction = () => [{ title: "Add a package · Roadies" }];

const addPackageRule = { name: "add-package", limit: 30, windowMs: HOUR_MS };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // [experience] In the demo a typed login maintains nothing; the stand-ins give it a package to add.
  return { demoSandbox: env().demo && !user.isDemo ? demoSandboxFor(user.login) : null, demo: env().demo };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const submission = parseWithZod(await readFormData(request), { schema: PackageForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const limit = await hitRateLimit(addPackageRule, String(user.id));
  if (!limit.allowed) {
    return data(
      submission.reply({ formErrors: ["You have added many packages in the last hour. Please wait a little."] }),
      {
        status: 429,
      },
    );
  }
  const result = await addPackage(user, submission.value);
  if (result.kind === "problem") {
    const field = result.problem === "no_permission" || result.problem === "repo_not_found" ? "repository" : null;
    const message = packageProblemMessages[result.problem];
    return data(submission.reply(field ? { fieldErrors: { [field]: [message] } } : { formErrors: [message] }), {
      status: ["github_down", "github_rate_limited", "pypi_down"].includes(result.problem) ? 503 : 400,
    });
  }
  const outcome =
    result.kind === "exists" ? "existing=1" : result.kind === "claimed" ? `claimed=${result.reason}` : "added=1";
  return redirect(`/packages/${result.normalizedName}?${outcome}`);
}

export default function AddPackage() {
  const lastResult = useActionData<typeof action>();
  const { demo, demoSandbox } = useLoaderData<typeof loader>();
  const [form, fields] = useSchemaForm(PackageForm, {
    id: "add-package",
    lastResult,
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to="/packages">← Packages</Link>
      </p>
      <h1>Add a package</h1>
      <p>
        Roadies asks GitHub whether you have the <strong>admin</strong> or <strong>maintain</strong> role on the
        repository, and PyPI whether the project is linked to it: one of its project URLs or its home page names the
        repository, or a recent release was published from it with Trusted Publishing. With both, you become the
        package&rsquo;s verified maintainer and can post calls for it. With the role alone, your claim is recorded as{" "}
        <strong>claimed, unconfirmed</strong> until PyPI links them or an admin confirms it.
      </p>
      {demoSandbox ? (
        <aside className="alert" aria-labelledby="demo-sandbox">
          <h2 id="demo-sandbox">Trying the demo with a new login?</h2>
          <p>
            Your account is new, so GitHub lists you on none of the demo packages&rsquo; repositories and Roadies cannot
            make you their maintainer. The demo&rsquo;s GitHub stand-in gave you a repository of your own: add{" "}
            <strong>{demoSandbox.pypiName}</strong> with the repository <strong>{demoSandbox.repository}</strong> to
            become its verified maintainer and post calls for it. To try a package already listed, sign out and sign in
            as one of its demo maintainers (the sign-in page says who maintains what).
          </p>
        </aside>
      ) : demo ? (
        <p className="muted">
          Demo: GitHub and PyPI are stand-ins. You have admin on the repositories of the demo packages you maintain;
          roadies-demo/django-tidy-forms, django-quiet-signals and django-gentle-admin are not on Roadies yet.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field field={fields.name} label="Name on PyPI" hint="e.g. django-filter">
          {(aria) => <input {...getInputProps(fields.name, { type: "text" })} {...aria} autoComplete="off" />}
        </Field>
        <Field field={fields.repository} label="GitHub repository" hint="owner/name or https://github.com/owner/name">
          {(aria) => <input {...getInputProps(fields.repository, { type: "text" })} {...aria} autoComplete="off" />}
        </Field>
        <p>
          <button type="submit" className="button">
            Check with GitHub and add
          </button>
        </p>
      </Form>
    </section>
  );
}
