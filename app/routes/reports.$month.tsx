import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MONTH } from "#app/models/ecosystem/ecosystem.server.ts";
import { reportView, statusLine } from "#app/models/ecosystem/report-records.server.ts";
import { SurveyQuestionResults } from "#app/components/survey-results.tsx";
import { formatDate } from "#app/utils/dates.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `${data.report.title}${data.provisional ? " (provisional)" : ""} · Roadies`
      : "Report not found · Roadies",
  },
  { tagName: "link", rel: "alternate", type: "application/atom+xml", href: "/reports.atom", title: "Roadies reports" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const month = params.month ?? "";
  const now = Date.now();
  // Only real months up to this one: a report about the future would be empty and misleading.
  if (!MONTH.test(month) || month > new Date(now).toISOString().slice(0, 7) || month < "2000-01") {
    throw notFound();
  }
  const { report, status } = await reportView(month, now);
  return { report, provisional: status.kind === "provisional", status: statusLine(status, month) };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export default function Report() {
  const { report: r, provisional, status } = useLoaderData<typeof loader>();
  const apps = r.applications.reduce((n, a) => n + a.n, 0);
  return (
    <article className="stack report">
      <p>
        <Link to="/reports">← All reports</Link>
      </p>
      <h1>
        {r.title}
        {provisional ? (
          <>
            {" "}
            <span className="tag tag-warning">Provisional</span>
          </>
        ) : null}
      </h1>
      <p className={provisional ? "alert" : "muted"}>{status}</p>
      <p>
        <a href={`/reports/${r.month}/markdown`}>Markdown version for the Django Forum</a>
      </p>
      <h2>Highlights</h2>
      <ul>
        <li>
          {plural(r.newCalls.length, "new call")} for help, {r.filledCalls.length} filled
          {r.medianDaysToFill !== null ? ` (median ${r.medianDaysToFill} days to fill)` : ""}.
        </li>
        <li>{plural(r.transfers.length, "package transfer")} completed.</li>
        <li>{plural(r.roadies.length, "new roadie")}.</li>
        <li>{plural(apps, "programme application")} submitted.</li>
        {(r.drives ?? []).map((d) => (
          <li key={d.version}>
            <Link to={`/compat/${d.version}`}>Django {d.version}</Link>: {d.ready} of {d.total} tracked packages declare
            or report support.
          </li>
        ))}
      </ul>
      {r.newCalls.length ? (
        <>
          <h2>New calls</h2>
          <ul>
            {r.newCalls.map((c) => (
              <li key={c.id}>
                <Link to={`/calls/${c.id}`}>{c.title}</Link> ({c.package})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.filledCalls.length ? (
        <>
          <h2>Filled calls</h2>
          <ul>
            {r.filledCalls.map((c) => (
              <li key={c.id}>
                <Link to={`/calls/${c.id}`}>{c.title}</Link> ({c.package})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.roadies.length ? (
        <>
          <h2>Welcome, new roadies</h2>
          <ul>
            {r.roadies.map((p) => (
              <li key={p.login}>
                <Link to={`/people/${p.login}`}>@{p.login}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.applications.length ? (
        <>
          <h2>Programme applications</h2>
          <ul>
            {r.applications.map((a) => (
              <li key={a.program}>
                {a.program}: {a.n}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>Maintenance states</h2>
      {r.states ? (
        <ul>
          {r.states.map((s) => (
            <li key={s.label}>
              {s.label}: {s.count} ({s.share}%)
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Package figures (compatibility, maintenance states) were not recorded for this month.</p>
      )}
      {(r.surveys ?? []).map((survey) => (
        <section key={survey.id} className="stack" aria-labelledby={`report-survey-${survey.id}`}>
          <h2 id={`report-survey-${survey.id}`}>Maintainer survey: {survey.title}</h2>
          <p>
            Closed on {formatDate(survey.closesAt)}; {survey.responses} verified maintainer
            {survey.responses === 1 ? "" : "s"} answered. <Link to={`/surveys/${survey.id}/results`}>Full results</Link>
          </p>
          <SurveyQuestionResults questions={survey.questions} />
        </section>
      ))}
      {/* [guides] Absent from records stored before the guides were content. */}
      {r.guides?.changed.length ? (
        <>
          <h2>Guides changed</h2>
          <ul>
            {r.guides.changed.map((g) => (
              <li key={g.slug}>
                <Link to={g.href}>{g.title}</Link>: {g.revisions} revision{g.revisions === 1 ? "" : "s"}, latest “
                {g.lastNote}”
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.guides?.due.length ? (
        <>
          <h2>Guides due for review</h2>
          <ul>
            {r.guides.due.map((g) => (
              <li key={g.slug}>
                <Link to={g.href}>{g.title}</Link>, last reviewed {formatDate(g.lastReviewedAt)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </article>
  );
}
