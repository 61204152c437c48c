// A survey's results, in aggregate only, once it has closed: figures for each choice or scale
// question at least five people answered; written answers for admins only, without names.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { SurveyQuestionResults } from "#app/components/survey-results.tsx";
import { countResponses, requireVisibleSurvey } from "#app/models/surveys/surveys.server.ts";
import { surveyResults } from "#app/models/surveys/results.server.ts";
import { MIN_GROUP } from "#app/models/surveys/forms.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Results: ${data.survey.title} · Roadies` : "Survey results · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { survey, user, state } = await requireVisibleSurvey(request, params.id);
  const admin = Boolean(user?.isAdmin);
  const results = await surveyResults(survey, { admin });
  return {
    survey: { id: survey.id, title: survey.title, closesAt: survey.closesAt },
    state,
    admin,
    zone: user?.timezone ?? null,
    responses: results?.responses ?? (await countResponses(survey.id)),
    results,
  };
}

export default function SurveyResultsPage() {
  const { survey, state, admin, zone, responses, results } = useLoaderData<typeof loader>();
  return (
    <section className="stack narrow">
      <p>
        <Link to={`/surveys/${survey.id}`}>← {survey.title}</Link>
      </p>
      <h1>Results: {survey.title}</h1>
      {results ? (
        <>
          <p>
            Closed <LocalTime ms={survey.closesAt} zone={zone} />. {responses} verified maintainer
            {responses === 1 ? "" : "s"} answered. Figures are shown only for questions at least {MIN_GROUP} people
            answered, and never broken down further.
          </p>
          {admin ? (
            <p>
              <a href={`/surveys/${survey.id}/answers.csv`}>Download every response (CSV, without names)</a>
            </p>
          ) : null}
          <SurveyQuestionResults questions={results.questions} level={2} />
        </>
      ) : (
        <p className="card">
          {state === "open" ? "The survey is open" : "The survey has not opened yet"}: results are shown once it closes,
          <> </>
          <LocalTime ms={survey.closesAt} zone={zone} />, so nobody can watch them change as one person answers.{" "}
          {responses} {responses === 1 ? "person has" : "people have"} answered so far.
        </p>
      )}
    </section>
  );
}
