// Every response to a survey as CSV, for working-group admins: one row per response, one column per
// question, no name, login or time (docs/ecosystem.md, "The maintainer survey", says why).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { requireVisibleSurvey } from "#app/models/surveys/surveys.server.ts";
import { surveyCsvRows } from "#app/models/surveys/results.server.ts";
import { toCsv } from "#app/utils/csv.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const { survey } = await requireVisibleSurvey(request, params.id);
  return new Response(toCsv(await surveyCsvRows(survey)), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="survey-${survey.id}-answers.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
