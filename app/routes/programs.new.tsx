// Working-group admins create a mentoring programme and name its organisers.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { createProgram, ProgramInputError } from "#app/models/programs/programs.server.ts";
import { ProgramFields, ProgramForm, programInputFromForm } from "#app/models/programs/forms.tsx";
import { AOE } from "#app/models/programs/window.ts";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { timeZoneOptions } from "#app/utils/time.ts";

export const meta: MetaFunction = () => [{ title: "Create a programme · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return { timeZones: timeZoneOptions(Date.now()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const submission = parseWithZod(await readFormData(request), { schema: ProgramForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  try {
    const program = await createProgram(programInputFromForm(v, v.slug), admin.id);
    return redirect(`/programs/${program.slug}/questions`);
  } catch (error) {
    if (error instanceof ProgramInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
}

export default function NewProgram() {
  const lastResult = useActionData<typeof action>();
  const { timeZones } = useLoaderData<typeof loader>();
  return (
    <section className="stack narrow">
      <p>
        <Link to="/programs">← All programmes</Link>
      </p>
      <h1>Create a programme</h1>
      <ProgramFields
        id="new-program"
        lastResult={lastResult}
        submitLabel="Create programme"
        timeZones={timeZones}
        defaultValue={{
          windowTimezone: AOE,
          roles: "Djangonaut: 16\nNavigator: 4\nCaptain: 2",
          rubric: "Motivation: 2\nAvailability: 1\nKnowledge: 1",
          maxPerMentor: "4",
          maxPerGroup: "8",
          minOverlapHours: "5",
        }}
      />
    </section>
  );
}
