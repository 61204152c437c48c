import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countPackages } from "#app/models/packages/packages.server.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { mostUrgentCalls } from "#app/models/calls/listing.server.ts";
import { callKindLabels, urgencyLabels } from "#app/models/calls/forms.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, packageCount, urgentCalls] = await Promise.all([
    getCurrentUser(request),
    countPackages(),
    mostUrgentCalls(6),
  ]);
  return {
    signedIn: Boolean(user),
    packageCount,
    // [calls] the most urgent open calls.
    urgentCalls: urgentCalls.map((c) => ({
      id: c.id,
      title: c.title,
      kind: c.kind,
      urgency: c.urgency,
      packageName: c.packageName,
      hoursPerWeek: c.hoursPerWeek,
    })),
  };
}

const paths = [
  {
    title: "Post a call for maintainers",
    body: "Looking for a co-maintainer, a successor, or help with a Django upgrade? Describe what your package needs and who would fit.",
    to: "/calls/new",
    cta: "Post a call",
  },
  {
    title: "Volunteer or become a roadie",
    body: "Offer a few hours a week, or join the trusted roadies who help hand packages over: PyPI, GitHub, docs and CI secrets.",
    to: null,
    cta: "Volunteer profiles open soon",
  },
  {
    title: "Join a mentoring programme",
    body: "Djangonaut Space, Google Summer of Code and others bring new people into maintenance with a mentor at their side.",
    to: null,
    cta: "Programme applications open soon",
  },
  {
    title: "Get weekly matches",
    body: "Once a week, one email with the calls and people that fit your skills and time, each with the reason it was picked.",
    to: null,
    cta: "Weekly digests start soon",
  },
];

export default function Home() {
  const { signedIn, packageCount, urgentCalls } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="hero">
        <h1>Keep Django packages alive, together</h1>
        <p>
          Roadies matches the maintainers of Django packages with co-maintainers, volunteers, mentors and roadies who
          know how to hand a package over. Post what your package needs, or find where your skills help most.
        </p>
        <div className="actions">
          {signedIn ? null : (
            <Link to="/login" className="button">
              Sign in with GitHub
            </Link>
          )}
          <Link to="/packages" className="button button-secondary">
            Browse {packageCount} packages
          </Link>
          <Link to="/calendar" className="button button-secondary">
            Django release calendar
          </Link>
        </div>
      </section>
      {urgentCalls.length ? (
        <section aria-labelledby="urgent-calls" className="stack">
          <h2 id="urgent-calls">Packages that need help most</h2>
          <ul className="grid">
            {urgentCalls.map((c) => (
              <li key={c.id} className="card">
                <h3>
                  <Link to={`/calls/${c.id}`}>{c.title}</Link>
                </h3>
                <p>
                  {c.packageName} · {callKindLabels[c.kind]} · urgency {urgencyLabels[c.urgency].toLowerCase()} ·{" "}
                  {c.hoursPerWeek} h/week
                </p>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/calls?sort=urgent">All open calls, most urgent first</Link>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="ways-in">
        <h2 id="ways-in">Four ways in</h2>
        <ul className="grid">
          {paths.map((p) => (
            <li key={p.title} className="card">
              <h3>{p.title}</h3>
              <p>{p.body}</p>
              {p.to ? <Link to={p.to}>{p.cta}</Link> : <p className="muted">{p.cta}</p>}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
