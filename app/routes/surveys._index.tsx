// Maintainer surveys: the open ones to answer, the closed ones with their results, and for the
// working group the ones not open yet and a link to write a new one.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { useNotices } from "#app/components/notices.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { canWriteSurveys, listSurveys } from "#app/models/surveys/surveys.server.ts";
import { mayAnswerSurveys, surveysAnsweredBy } from "#app/models/surveys/answers.server.ts";
import { surveyStateLabels } from "#app/models/surveys/forms.ts";

export const meta: MetaFunction = () => [{ title: "Maintainer surveys · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  // Side by side; only the list waits, for the working-group check (none for an admin).
  const writing = canWriteSurveys(user);
  const [writer, surveys, answeredIds, eligible] = await Promise.all([
    writing,
    writing.then((w) => listSurveys(w)),
    user ? surveysAnsweredBy(user.id) : [],
    user ? mayAnswerSurveys(user.id) : false,
  ]);
  const answered = new Set(answeredIds);
  return {
    writer,
    eligible,
    zone: user?.timezone ?? null,
    surveys: surveys.map((s) => ({
      id: s.id,
      title: s.title,
      state: s.state,
      opensAt: s.opensAt,
      closesAt: s.closesAt,
      responses: s.responses,
      questions: s.questions,
      answered: answered.has(s.id),
    })),
  };
}

export default function Surveys() {
  const { writer, eligible, zone, surveys } = useLoaderData<typeof loader>();
  const [query] = useSearchParams();
  const notices = useNotices(query);
  const groups = (["open", "scheduled", "closed"] as const).map((state) => ({
    state,
    items: surveys.filter((s) => s.state === state),
  }));
  return (
    <section className="stack narrow">
      <h1>Maintainer surveys</h1>
      <p>
        The Django working group asks the maintainers of Django packages how maintenance goes: which Django versions
        they support, their CI, funding, time, and what would help. Verified maintainers of a package answer; results
        are shown in aggregate once a survey closes, on the <Link to="/ecosystem">ecosystem review</Link> and in the{" "}
        <Link to="/reports">monthly report</Link>.
      </p>
      {notices.get("deleted") ? (
        <p className="alert" role="status">
          Survey deleted.
        </p>
      ) : null}
      {writer ? (
        <p>
          <Link to="/surveys/new" className="button">
            Write a new survey
          </Link>
        </p>
      ) : null}
      {surveys.length === 0 ? <p className="muted">No survey yet.</p> : null}
      {groups
        .filter((g) => g.items.length)
        .map((g) => (
          <section key={g.state} className="stack" aria-labelledby={`surveys-${g.state}`}>
            <h2 id={`surveys-${g.state}`}>{surveyStateLabels[g.state]}</h2>
            <ul className="stack">
              {g.items.map((s) => (
                <li key={s.id} className="card stack">
                  <h3>
                    <Link to={g.state === "closed" ? `/surveys/${s.id}/results` : `/surveys/${s.id}`}>{s.title}</Link>
                  </h3>
                  <p className="muted">
                    {g.state === "scheduled" ? (
                      <>
                        Opens <LocalTime ms={s.opensAt} zone={zone} />.{" "}
                      </>
                    ) : null}
                    {g.state === "closed" ? "Closed " : "Closes "}
                    <LocalTime ms={s.closesAt} zone={zone} />. {s.questions} question{s.questions === 1 ? "" : "s"},{" "}
                    {s.responses} response{s.responses === 1 ? "" : "s"}.
                  </p>
                  {g.state === "open" && s.answered ? (
                    <p>
                      You have answered. <Link to={`/surveys/${s.id}`}>Change your answers</Link>
                    </p>
                  ) : g.state === "open" && eligible ? (
                    <p>
                      <Link to={`/surveys/${s.id}`}>Answer the survey</Link>
                    </p>
                  ) : null}
                  {writer ? (
                    <p>
                      <Link to={`/surveys/${s.id}/edit`}>
                        Edit<span className="visually-hidden">: {s.title}</span>
                      </Link>
                    </p>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}
