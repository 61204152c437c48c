import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "#app/components/bar-chart.tsx";
import { ecosystemReview } from "#app/models/ecosystem/ecosystem.server.ts";

export const meta: MetaFunction = () => [{ title: "Ecosystem review · Roadies" }];

export async function loader() {
  return ecosystemReview();
}

export default function Ecosystem() {
  const r = useLoaderData<typeof loader>();
  const monthLabel = (m: string) => m;
  return (
    <section className="stack ecosystem">
      <h1>Ecosystem review</h1>
      <p>
        How the {r.total} packages tracked on Roadies are doing, from their PyPI and GitHub metadata and from activity
        on Roadies. Support is what packages <em>declare</em> in their classifiers, which often lags behind what works.
        Figures as of {r.generatedOn}.
      </p>
      <p>
        Download the numbers: <a href="/ecosystem.csv">CSV</a> · <a href="/ecosystem.json">JSON</a> ·{" "}
        <Link to="/reports">monthly reports</Link>
      </p>
      <div className="grid charts">
        <BarChart
          title="Declared Django support"
          caption={`Share of the ${r.total} tracked packages that declare each supported or upcoming Django release.`}
          bars={r.django.map((s) => ({ label: `Django ${s.label}`, value: s.share, note: `${s.count} of ${s.total}` }))}
          max={100}
          unit="%"
          columns={["Django release", "Share of packages"]}
        />
        <BarChart
          title="Declared Python support"
          caption={`Share of the ${r.total} tracked packages that declare each Python version.`}
          bars={r.python.map((s) => ({ label: `Python ${s.label}`, value: s.share, note: `${s.count} of ${s.total}` }))}
          max={100}
          unit="%"
          columns={["Python version", "Share of packages"]}
        />
        <BarChart
          title="Maintenance states"
          caption="Number of packages in each maintenance state (see a package's page for the rule that decided it)."
          bars={r.states.map((s) => ({ label: s.label, value: s.count, note: `${s.share}%` }))}
          columns={["State", "Packages"]}
        />
        <BarChart
          title="Calls opened per month"
          caption="Calls for help posted on Roadies in each of the last 12 months."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.opened }))}
          columns={["Month", "Calls opened"]}
        />
        <BarChart
          title="Calls filled per month"
          caption="Calls for help that found someone, per month."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.filled }))}
          columns={["Month", "Calls filled"]}
        />
        <BarChart
          title="Transfers completed per month"
          caption="Packages handed over to a new maintainer through a call."
          bars={r.perMonth.map((m) => ({ label: monthLabel(m.month), value: m.transfers }))}
          columns={["Month", "Transfers"]}
        />
      </div>
      <div className="card">
        <h2>Over the last 12 months</h2>
        <ul>
          <li>
            Calls filled: <strong>{r.callsFilledInYear}</strong>
          </li>
          <li>
            Median time to fill a call:{" "}
            <strong>{r.medianDaysToFill === null ? "no call filled yet" : `${r.medianDaysToFill} days`}</strong>
          </li>
          <li>
            Transfers completed: <strong>{r.transfersInYear}</strong>
          </li>
          {r.drives.map((d) => (
            <li key={d.version}>
              <Link to={`/compat/${d.version}`}>Django {d.version} compatibility</Link>:{" "}
              <strong>
                {d.ready} of {d.total}
              </strong>{" "}
              packages ready
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
