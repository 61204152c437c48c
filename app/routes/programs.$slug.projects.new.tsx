// Maintainers offer a mentoring project on a package they maintain, attached to this programme.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { ProgramInputError } from "#app/models/programs/programs.server.ts";
import { createProject, listMaintainedPackages } from "#app/models/programs/projects.server.ts";
import { requireProgramForUser } from "#app/models/programs/access.server.ts";
import { projectSizes } from "#app/models/programs/constants.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Offer a mentoring project · Roadies" }];

const ProjectForm = z.object({
  packageName: z.string({ error: "Choose a package." }).min(1, "Choose a package."),
  title: z.string({ error: "Give the project a title." }).trim().min(5, "Give the project a title.").max(150),
  description: z
    .string({ error: "Describe the project." })
    .trim()
    .min(20, "Describe the project in a few sentences.")
    .max(10000),
  skills: z.string().trim().max(300).optional(),
  size: z.enum(projectSizes, { error: "Choose a size." }),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, program } = await requireProgramForUser(request, params.slug);
  const packages = await listMaintainedPackages(user.id);
  return {
    program: { slug: program.slug, name: program.name },
    packages: packages.map((p) => ({ name: p.name, value: p.normalizedName })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramForUser(request, params.slug);
  const submission = parseWithZod(await readFormData(request), { schema: ProjectForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  try {
    await createProject(user.id, {
      ...v,
      skills: (v.skills ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
      programId: program.id,
    });
  } catch (error) {
    if (error instanceof ProgramInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(`/programs/${program.slug}`);
}

export default function NewProject() {
  const { program, packages } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm<typeof ProjectForm, z.input<typeof ProjectForm>>(ProjectForm, {
    id: "new-project",
    lastResult,
    defaultValue: { size: "medium" },
  });
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Offer a mentoring project</h1>
      {packages.length === 0 ? (
        <p>You can offer projects on packages you are a verified maintainer of. You have none yet.</p>
      ) : (
        <Form method="post" {...getFormProps(form)} className="stack">
          <FormErrors errors={form.errors} />
          <Field field={fields.packageName} label="Package">
            {(aria) => (
              <select {...getSelectProps(fields.packageName)} {...aria}>
                <option value="">Choose a package</option>
                {packages.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field field={fields.title} label="Title">
            {(aria) => <input {...getInputProps(fields.title, { type: "text" })} {...aria} />}
          </Field>
          <Field field={fields.description} label="Description (Markdown)">
            {(aria) => <textarea {...getTextareaProps(fields.description)} {...aria} rows={6} />}
          </Field>
          <Field field={fields.skills} label="Skills" hint="Separated by commas, e.g. Python, ORM, docs">
            {(aria) => <input {...getInputProps(fields.skills, { type: "text" })} {...aria} />}
          </Field>
          <Field field={fields.size} label="Size">
            {(aria) => (
              <select {...getSelectProps(fields.size)} {...aria}>
                {projectSizes.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <p>
            <button type="submit" className="button">
              Offer project
            </button>
          </p>
        </Form>
      )}
    </section>
  );
}
