import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countPackages } from "#app/models/packages/packages.server.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { firstStepsFor } from "#app/models/people/first-steps.server.ts";
import { mostUrgentCalls } from "#app/models/calls/listing.server.ts";
import { callKindLabels, urgencyLabels } from "#app/models/calls/forms.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const [user, packageCount, urgentCalls] = await Promise.all([
    getCurrentUser(request),
    countPackages(),
    mostUrgentCalls(6),
  ]);
  // [experience] a signed-in person's next useful step and what waits for them.
  const firstSteps = user ? await firstStepsFor(user.id) : null;
  return {
    signedIn: Boolean(user),
    name: user ? (user.name ?? user.login) : null,
    packageCount,
    firstSteps: firstSteps ? { steps: firstSteps.steps, waiting: firstSteps.waiting } : null,
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

type Entry = { to: string; label: string };
type Path = { title: string; body: string; links: Entry[] };

/** The ways in, each to the live page that does it. */
const paths: Path[] = [
  {
    title: "Post a call for maintainers",
    body: "Looking for a co-maintainer, a successor, or help with a Django upgrade? Describe what your package needs and who would fit.",
    links: [
      { to: "/calls/new", label: "Post a call" },
      { to: "/calls", label: "Browse open calls" },
    ],
  },
  {
    title: "Volunteer or become a roadie",
    body: "Offer a few hours a week, or join the trusted roadies who help hand packages over: PyPI, GitHub, docs and CI secrets.",
    links: [
      { to: "/settings/profile", label: "Write your volunteer profile" },
      { to: "/roadies", label: "Meet the roadies" },
    ],
  },
  {
    title: "Join a mentoring programme",
    body: "Djangonaut Space, Google Summer of Code and others bring new people into maintenance with a mentor at their side.",
    links: [{ to: "/programs", label: "See the programmes" }],
  },
  {
    title: "Get weekly matches",
    body: "Once a week, one email with the calls and people that fit your skills and time, each with the reason it was picked.",
    links: [{ to: "/settings/notifications", label: "Choose your digest" }],
  },
];

export default function Home() {
  const { signedIn, name, packageCount, firstSteps, urgentCalls } = useLoaderData<typeof loader>();
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
      {firstSteps ? (
        <div className="first-steps">
          <section aria-labelledby="waiting-for-you" className="stack">
            <h2 id="waiting-for-you">Waiting for you</h2>
            {firstSteps.waiting.length ? (
              <ul className="waiting-list">
                {firstSteps.waiting.map((w) => (
                  <li key={w.id}>
                    <Link to={w.to}>{w.label}</Link>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nothing needs your answer right now, {name}.</p>
            )}
          </section>
          {firstSteps.steps.length ? (
            <section aria-labelledby="next-steps" className="stack">
              <h2 id="next-steps">Your next steps</h2>
              <ol className="grid next-steps">
                {firstSteps.steps.map((s) => (
                  <li key={s.id} className="card">
                    <h3>{s.title}</h3>
                    <p>{s.body}</p>
                    <Link to={s.to}>{s.cta}</Link>
                  </li>
                ))}
              </ol>
            </section>
          ) : null}
        </div>
      ) : null}
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
              <ul className="ways-in-links">
                {p.links.map((l) => (
                  <li key={l.to}>
                    <Link to={l.to}>{l.label}</Link>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
