// [surveys] The maintainer survey on the ecosystem review: the survey open now (a link to answer)
// and the latest closed survey's results, in aggregate only.
import { Link } from "@remix-run/react";
import { SurveyQuestionResults } from "#app/components/survey-results.tsx";
import type { QuestionResult } from "#app/models/surveys/forms.ts";

type Props = {
  surveys: {
    open: { id: number; title: string; closesAt: number } | null;
    latest: { id: number; title: string; closesAt: number; responses: number; questions: QuestionResult[] } | null;
  };
};

const day = (ms: number) => new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(ms);

export function EcosystemSurveys({ surveys }: Props) {
  if (!surveys.open && !surveys.latest) return null;
  return (
    <section className="stack" aria-labelledby="maintainer-survey">
      <h2 id="maintainer-survey">What maintainers told us</h2>
      {surveys.open ? (
        <p className="card">
          Open now: <Link to={`/surveys/${surveys.open.id}`}>{surveys.open.title}</Link>, until{" "}
          {day(surveys.open.closesAt - 1)} (UTC). Verified maintainers of a package can answer.
        </p>
      ) : null}
      {surveys.latest ? (
        <>
          <p>
            From <Link to={`/surveys/${surveys.latest.id}/results`}>{surveys.latest.title}</Link>, which closed on{" "}
            {day(surveys.latest.closesAt - 1)}: {surveys.latest.responses} verified maintainers answered. Figures only
            for questions at least five people answered. <Link to="/surveys">All surveys</Link>
          </p>
          <SurveyQuestionResults questions={surveys.latest.questions.filter((q) => q.kind !== "free_text")} />
        </>
      ) : null}
    </section>
  );
}
