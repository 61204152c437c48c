import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { monthTitle, reportMonths } from "#app/models/ecosystem/ecosystem.server.ts";

export const meta: MetaFunction = () => [{ title: "Monthly reports · Roadies" }];

export async function loader() {
  const months = await reportMonths();
  return { reports: months.map((m) => ({ month: m, title: monthTitle(m) })) };
}

export default function Reports() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <section className="stack narrow">
      <h1>Monthly reports</h1>
      <p>
        Each month&rsquo;s highlights, generated from what happened on Roadies, with a Markdown version for the Django
        Forum. <a href="/reports.atom">Follow the reports (Atom feed)</a>.
      </p>
      <ul>
        {reports.map((r) => (
          <li key={r.month}>
            <Link to={`/reports/${r.month}`}>{r.title}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
