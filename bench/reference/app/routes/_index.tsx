// The reference page: a loader returning 20 rows, rendered as a list (no database: the framework's
// own cost of a page with data).
import { useLoaderData } from "@remix-run/react";

const KINDS = ["co-maintainer", "triage-review", "release-management", "documentation"];

export function loader() {
  return {
    rows: Array.from({ length: 20 }, (_, i) => ({
      id: i + 1,
      title: `Help wanted on release ${i + 1}`,
      packageName: `django-package-${i + 1}`,
      kind: KINDS[i % KINDS.length]!,
      postedOn: new Date(Date.UTC(2026, 10, 1 + i)).toISOString().slice(0, 10),
    })),
  };
}

export default function Index() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Open calls</h1>
      <ol>
        {rows.map((row) => (
          <li key={row.id}>
            <h2>
              <a href={`/calls/${row.id}`}>{row.title}</a>
            </h2>
            <p>
              {row.packageName} · {row.kind} · posted {row.postedOn}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}
