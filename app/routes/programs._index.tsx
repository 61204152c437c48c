// /programs: mentoring programmes open for applications now, coming up, and past.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { LocalTime } from "#app/components/programs-local-time.tsx";
import { listPrograms } from "#app/models/programs/programs.server.ts";
import { zoneLabel } from "#app/models/programs/window.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { markdownToText } from "#app/utils/markdown.server.ts";

export const meta: MetaFunction = () => [{ title: "Mentoring programmes · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const groups = await listPrograms();
  const card = (p: (typeof groups.open)[number]) => ({
    slug: p.slug,
    name: p.name,
    organisation: p.organisation,
    summary: markdownToText(p.description, 200),
    opensAt: p.opensAt,
    closesAt: p.closesAt,
    zone: zoneLabel(p.windowTimezone),
  });
  return {
    open: groups.open.map(card),
    upcoming: groups.upcoming.map(card),
    past: groups.closed.map(card),
    viewerZone: user?.timezone ?? null,
    isAdmin: Boolean(user?.isAdmin),
    signedIn: Boolean(user),
  };
}

type Card = ReturnType<typeof useLoaderData<typeof loader>>["open"][number];

function ProgramList({ items, empty, when }: { items: Card[]; empty: string; when: "open" | "upcoming" | "past" }) {
  const { viewerZone } = useLoaderData<typeof loader>();
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="program-list">
      {items.map((p) => (
        <li key={p.slug} className="card">
          <h3>
            <Link to={`/programs/${p.slug}`}>{p.name}</Link>
          </h3>
          <p className="muted">{p.organisation}</p>
          {p.summary ? <p>{p.summary}</p> : null}
          <p>
            {when === "upcoming"
              ? "Applications open "
              : when === "open"
                ? "Applications close "
                : "Applications closed "}
            <LocalTime ms={when === "upcoming" ? p.opensAt : p.closesAt} zone={viewerZone} />
            {when !== "upcoming" ? <span className="muted"> · deadline in {p.zone}</span> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}

export default function Programs() {
  const data = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>Mentoring programmes</h1>
      <p>
        Learn to maintain Django packages alongside people who have done it for years. Apply to a programme while its
        window is open; you can save a draft and come back to it until the deadline.
      </p>
      {data.signedIn ? (
        <p>
          <Link to="/me/applications">Your applications</Link>
        </p>
      ) : null}
      {data.isAdmin ? (
        <p>
          <Link to="/programs/new" className="button button-secondary">
            Create a programme
          </Link>
        </p>
      ) : null}
      <h2>Open now</h2>
      <ProgramList items={data.open} when="open" empty="No programme is taking applications right now." />
      <h2>Upcoming</h2>
      <ProgramList items={data.upcoming} when="upcoming" empty="No upcoming programme has been announced yet." />
      <h2>Past</h2>
      <ProgramList items={data.past} when="past" empty="No past programmes yet." />
    </section>
  );
}
