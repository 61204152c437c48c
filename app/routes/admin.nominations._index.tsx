// /admin/nominations: roadies triage nominated packages.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRoadieOrWorkingGroup } from "#app/models/people/roadies.server.ts";
import { listNominations } from "#app/models/calls/nominations.server.ts";
import { nominationReasonLabels, nominationStatusLabels } from "#app/models/calls/nominations-forms.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Nominations · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The lists are read beside the check (one round trip less) and shown only if it passes.
  const lists = Promise.all([listNominations({ open: true }), listNominations({ open: false })]);
  lists.catch(() => undefined);
  await requireRoadieOrWorkingGroup(request);
  const [open, done] = await lists;
  return { open, done: done.slice(0, 30) };
}

const statusWords = nominationStatusLabels;

export default function Nominations() {
  const { open, done } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Nominations</h1>
      <p>
        Packages people say need help. Contact the maintainers and send them a draft call: it is published in a
        maintainer&rsquo;s name only when they accept it. Where no maintainer can answer, a working-group admin can
        publish it as a community nomination, in nobody&rsquo;s name.
      </p>
      <h2>To triage ({open.length})</h2>
      {open.length ? (
        <ul className="package-list">
          {open.map((x) => (
            <li key={x.id} className="card">
              <h3>
                <Link to={`/admin/nominations/${x.id}`}>{x.packageName}</Link>
              </h3>
              <p>
                <span className="tag">{nominationReasonLabels[x.reason]}</span>{" "}
                <span className="tag">{statusWords[x.status]}</span>
              </p>
              <p className="muted">
                by @{x.nominator ?? "a former member"} · {formatShortDate(x.createdAt)}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing to triage.</p>
      )}
      <h2>Recently done</h2>
      {done.length ? (
        <ul>
          {done.map((x) => (
            <li key={x.id}>
              <Link to={`/admin/nominations/${x.id}`}>{x.packageName}</Link>: {statusWords[x.status]}
              {x.publishedAs === "community" ? " (community nomination)" : ""}
              {x.callId ? (
                <>
                  {" "}
                  · <Link to={`/calls/${x.callId}`}>the call</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>None yet.</p>
      )}
    </section>
  );
}
