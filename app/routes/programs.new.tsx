// Working-group admins create a mentoring programme and name its organisers.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { createProgram, ProgramInputError } from "#app/models/programs.server.ts";
import { lines, namedNumber, ProgramFields, ProgramForm } from "#app/models/programs-forms.tsx";
import { AOE } from "#app/models/programs-window.ts";
import { requireAdmin } from "#app/utils/auth.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [{ title: "Create a programme · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const submission = parseWithZod(await readFormData(request), { schema: ProgramForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  const pair = namedNumber;
  try {
    const program = await createProgram(
      {
        ...v,
        description: v.description ?? "",
        roles: lines(v.roles).map((l) => ({ name: pair(l)[0], capacity: pair(l)[1] })),
        organiserLogins: (v.organisers ?? "")
          .split(/[\s,]+/)
          .map((l) => l.replace(/^@/, "").trim())
          .filter(Boolean),
        rubric: lines(v.rubric).map((l) => ({ label: pair(l)[0], weight: pair(l)[1] })),
        groupRules:
          v.mentorRole && v.menteeRole
            ? {
                mentorRole: v.mentorRole,
                menteeRole: v.menteeRole,
                maxPerMentor: v.maxPerMentor,
                maxPerGroup: v.maxPerGroup,
                minOverlapHours: v.minOverlapHours,
              }
            : null,
      },
      admin.id,
    );
    return redirect(`/programs/${program.slug}/questions`);
  } catch (error) {
    if (error instanceof ProgramInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
}

export default function NewProgram() {
  const lastResult = useActionData<typeof action>();
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
