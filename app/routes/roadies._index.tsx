// /roadies: what roadies do, who they are right now, and how to become one.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { profilesOpenTo } from "#app/models/people/directory.server.ts";
import {
  isRoadieOrWorkingGroup,
  listActiveRoadies,
  listWorkingGroupMembers,
} from "#app/models/people/roadies.server.ts";

export const meta: MetaFunction = () => [{ title: "Roadies · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [viewer, roadies, members] = await Promise.all([
    getCurrentUser(request),
    listActiveRoadies(),
    listWorkingGroupMembers(),
  ]);
  // Only roadies and members may open the working group's page: others get no link to a 403.
  const [open, worksFromAdmin] = await Promise.all([
    profilesOpenTo(
      [...roadies, ...members].map((x) => x.userId),
      Boolean(viewer),
    ),
    viewer ? isRoadieOrWorkingGroup(viewer) : false,
  ]);
  const strip = (x: (typeof roadies)[number]) => ({
    login: x.login,
    linked: open.has(x.userId),
    name: x.name,
    avatarUrl: x.avatarUrl,
    isAdmin: x.isAdmin,
  });
  return { roadies: roadies.map(strip), members: members.map(strip), signedIn: Boolean(viewer), worksFromAdmin };
}

function PeopleList({
  people,
  label,
}: {
  people: { login: string; name: string | null; isAdmin: boolean; linked: boolean }[];
  label: string;
}) {
  if (!people.length) return <p className="muted">Nobody yet.</p>;
  return (
    <ul className="people-list" aria-label={label}>
      {people.map((p) => (
        <li key={p.login}>
          {/* A profile its owner keeps from this viewer gets no link to a page that would answer 404. */}
          {p.linked ? <Link to={`/people/${p.login}`}>{p.name ?? p.login}</Link> : (p.name ?? p.login)}{" "}
          <span className="muted">@{p.login}</span>
          {p.isAdmin ? <span className="tag">Admin</span> : null}
        </li>
      ))}
    </ul>
  );
}

export default function Roadies() {
  const { roadies, members, worksFromAdmin } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>Roadies</h1>
      <p>
        Roadies keep the show on the road when a Django package changes hands. They shepherd ownership transfers from
        the first message to the last PyPI permission, triage nominations of packages that need help, and contact
        maintainers who have gone quiet. No single person carries it all: transfers go to the roadie with the fewest on
        their plate.
      </p>
      <ul>
        <li>A roadie serves six months at a time and can stay on with one click, or step down whenever they like.</li>
        <li>The working group approves new roadies by a majority of its active members.</li>
        <li>Your GitHub account must be at least 90 days old to apply.</li>
      </ul>
      <p>
        <Link to="/roadies/apply" className="button">
          Apply to be a roadie
        </Link>
      </p>
      <section aria-labelledby="active-title" className="stack">
        <h2 id="active-title">Active roadies ({roadies.length})</h2>
        <PeopleList people={roadies} label="Active roadies" />
      </section>
      <section aria-labelledby="wg-title" className="stack">
        <h2 id="wg-title">The working group ({members.length})</h2>
        <p>
          Working-group members vote on applications, invite new members and keep an eye on moderation. Like roadies,
          they serve six-month terms.
        </p>
        <PeopleList people={members} label="Working-group members" />
        <p>
          Members and roadies work from{" "}
          {worksFromAdmin ? <Link to="/admin">the working group&rsquo;s page</Link> : "the working group’s page"}. Know
          a package that needs help? <Link to="/nominate">Nominate it</Link>.
        </p>
      </section>
    </section>
  );
}
