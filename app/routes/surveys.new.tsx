// The working group writes a new maintainer survey: its title, introduction and window first, then
// its questions (on the edit page).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { SurveyFields } from "#app/components/survey-fields.tsx";
import { requireWorkingGroup } from "#app/models/people/roadies.server.ts";
import { createSurvey, SurveyInputError, windowOf } from "#app/models/surveys/surveys.server.ts";
import { SurveyForm } from "#app/models/surveys/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "New maintainer survey · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireWorkingGroup(request);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const now = Date.now();
  return { opensOn: iso(now + DAY_MS), closesOn: iso(now + 22 * DAY_MS) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireWorkingGroup(request);
  const submission = parseWithZod(await readFormData(request), { schema: SurveyForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const v = submission.value;
  try {
    const survey = await createSurvey(
      { title: v.title, intro: v.intro ?? "", ...windowOf(v.opensOn, v.closesOn) },
      user.id,
    );
    return redirect(`/surveys/${survey.id}/edit?created=1`);
  } catch (error) {
    if (error instanceof SurveyInputError)
      return data(submission.reply({ fieldErrors: { [error.field]: [error.message] } }), { status: 400 });
    throw error;
  }
}

export default function NewSurvey() {
  const lastResult = useActionData<typeof action>();
  const { opensOn, closesOn } = useLoaderData<typeof loader>();
  return (
    <section className="stack narrow">
      <p>
        <Link to="/surveys">← Maintainer surveys</Link>
      </p>
      <h1>New maintainer survey</h1>
      <p>
        Verified maintainers of a package answer it during its window; results are shown in aggregate once it closes.
        Add the questions on the next page.
      </p>
      <SurveyFields
        lastResult={lastResult}
        defaultValue={{ opensOn, closesOn }}
        submitLabel="Create and add questions"
      />
    </section>
  );
}
