import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listDjangoReleases } from "#app/models/releases.server.ts";

export const meta: MetaFunction = () => [{ title: "Django release calendar · Roadies" }];

export async function loader() {
  return { releases: await listDjangoReleases() };
}

const show = (date: string | null) => date ?? "not announced";

export default function Calendar() {
  const { releases } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>Django release calendar</h1>
      <p>
        Feature releases from Django 3.2 on, with their support windows and the Python versions each supports. Keep your
        package ready before each release lands.
      </p>
      <div className="table-scroll">
        <table>
          <caption>Django feature releases, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Release</th>
              <th scope="col">Mainstream support ends</th>
              <th scope="col">Extended support ends</th>
              <th scope="col">Python</th>
            </tr>
          </thead>
          <tbody>
            {releases.map((r) => (
              <tr key={r.version}>
                <th scope="row">
                  {r.version}
                  {r.lts ? <span className="tag">LTS</span> : null}
                </th>
                <td>
                  {show(r.releaseDate)}
                  {r.status === "planned" ? <span className="muted"> (planned)</span> : null}
                </td>
                <td>{show(r.mainstreamSupportEnd)}</td>
                <td>{show(r.extendedSupportEnd)}</td>
                <td>{r.pythonVersions.join(", ") || "not announced"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
