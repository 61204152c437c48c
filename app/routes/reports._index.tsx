import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { reportIndex } from "#app/models/ecosystem/report-records.server.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Monthly reports · Roadies" }];

export async function loader() {
  return { reports: await reportIndex() };
}

export default function Reports() {
  const { reports } = useLoaderData<typeof loader>();
  return (
    <section className="stack narrow">
      <h1>Monthly reports</h1>
      <p>
        Each month&rsquo;s highlights, generated from what happened on Roadies, with a Markdown version for the Django
        Forum. When a month ends its report is recorded and never changes afterwards; the current month&rsquo;s is
        provisional. <a href="/reports.atom">Follow the reports (Atom feed)</a>.
      </p>
      <ul>
        {reports.map((r) => (
          <li key={r.month}>
            <Link to={`/reports/${r.month}`}>{r.title}</Link>{" "}
            {r.recordedAt !== null ? (
              <span className="muted">recorded on {formatDate(r.recordedAt)}</span>
            ) : (
              <span className="tag tag-warning">Provisional</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
