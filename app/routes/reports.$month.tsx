import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MONTH, monthlyReport } from "#app/models/ecosystem/ecosystem.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · Roadies` : "Report not found · Roadies" },
  { tagName: "link", rel: "alternate", type: "application/atom+xml", href: "/reports.atom", title: "Roadies reports" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const month = params.month ?? "";
  const now = Date.now();
  // Only real months up to this one: a report about the future would be empty and misleading.
  if (!MONTH.test(month) || month > new Date(now).toISOString().slice(0, 7) || month < "2000-01") {
    throw notFound();
  }
  return monthlyReport(month, now);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export default function Report() {
  const r = useLoaderData<typeof loader>();
  const apps = r.applications.reduce((n, a) => n + a.n, 0);
  return (
    <article className="stack report">
      <p>
        <Link to="/reports">← All reports</Link>
      </p>
      <h1>{r.title}</h1>
      {r.inProgress ? <p className="alert">This month is not over yet: the figures will still change.</p> : null}
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
        {r.drives.map((d) => (
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
      <ul>
        {r.states.map((s) => (
          <li key={s.label}>
            {s.label}: {s.count} ({s.share}%)
          </li>
        ))}
      </ul>
    </article>
  );
}
