// Organisers (and working-group admins) edit a programme: details, window, roles, rubric, groups.
// Only admins change who organises.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { listOrganisers, listRoles, ProgramInputError, updateProgram } from "#app/models/programs/programs.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { ProgramFields, ProgramForm, programInputFromForm } from "#app/models/programs/forms.tsx";
import { readFormData } from "#app/utils/form.server.ts";
import { canonicalTimeZone, timeZoneOptions } from "#app/utils/time.ts";
import { replyFor } from "#app/components/field.tsx";
import { setAnonymisedReview } from "#app/models/programs/review.server.ts";
import { reviewSettingsSchema } from "#app/models/programs/review-forms.ts";

export const meta: MetaFunction = () => [{ title: "Edit programme · Roadies" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgramOrganiser(request, params.slug);
  const [roles, organisers] = await Promise.all([listRoles(program.id), listOrganisers(program.id)]);
  const rules = program.groupRules;
  const roleName = (id: number | undefined) => roles.find((r) => r.id === id)?.name ?? "";
  return {
    program: { slug: program.slug, name: program.name, anonymisedReview: program.anonymisedReview },
    timeZones: timeZoneOptions(Date.now()),
    defaults: {
      name: program.name,
      slug: program.slug,
      organisation: program.organisation,
      description: program.description,
      website: program.website ?? "",
      seasonStart: program.seasonStart,
      seasonEnd: program.seasonEnd,
      opensOn: program.opensOn,
      closesOn: program.closesOn,
      // "AoE" stays; a deprecated zone name shows as its current one.
      windowTimezone: canonicalTimeZone(program.windowTimezone) ?? program.windowTimezone,
      roles: roles.map((r) => `${r.name}: ${r.capacity}`).join("\n"),
      rubric: program.rubric.map((c) => `${c.label}: ${c.weight}`).join("\n"),
      organisers: organisers.map((o) => o.login).join(", "),
      mentorRole: roleName(rules?.mentorRoleId),
      menteeRole: roleName(rules?.menteeRoleId),
      maxPerMentor: String(rules?.maxPerMentor ?? 4),
      maxPerGroup: String(rules?.maxPerGroup ?? 8),
      minOverlapHours: String(rules?.minOverlapHours ?? 5),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const formData = await readFormData(request);
  if (formData.get("intent") === "review-settings") {
    const settings = parseWithZod(formData, { schema: reviewSettingsSchema });
    if (settings.status !== "success") return data(settings.reply(), { status: 400 });
    await setAnonymisedReview(program, settings.value.anonymisedReview, user.id);
    return redirect(`/programs/${program.slug}/edit?saved=review`);
  }
  const submission = parseWithZod(formData, { schema: ProgramForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  try {
    await updateProgram(program, programInputFromForm(v, program.slug), user);
  } catch (error) {
    if (error instanceof ProgramInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
  return redirect(`/programs/${program.slug}`);
}

export default function EditProgram() {
  const { program, defaults, timeZones } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Edit {program.name}</h1>
      <ProgramFields
        id="edit-program"
        lastResult={replyFor(lastResult, undefined)}
        defaultValue={defaults}
        submitLabel="Save programme"
        timeZones={timeZones}
        editing
      />
      <Form method="post" className="card stack" aria-labelledby="review-settings-heading">
        <h2 id="review-settings-heading">Review settings</h2>
        <input type="hidden" name="intent" value="review-settings" />
        <div className="field-checkbox">
          <input
            type="checkbox"
            id="anonymisedReview"
            name="anonymisedReview"
            defaultChecked={program.anonymisedReview}
            aria-describedby="anonymisedReview-hint"
          />
          <label htmlFor="anonymisedReview">Anonymised review</label>
        </div>
        <p id="anonymisedReview-hint" className="field-hint">
          Reviewers see &ldquo;Applicant 12&rdquo; instead of names and logins, and links in answers are hidden, on the
          review pages, the decisions preview and the CSV export, until each decision is sent.
        </p>
        <p>
          <button type="submit" className="button button-secondary">
            Save review settings
          </button>
        </p>
      </Form>
    </section>
  );
}
