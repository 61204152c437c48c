// /people/:login: a volunteer's public profile, as far as their visibility setting allows.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { getPublicProfile } from "#app/models/people/profile.server.ts";
import { levelLabels, roleLabels } from "#app/models/people/profile.ts";
import { Badges } from "#app/components/badges.tsx";
import { ReportLink } from "#app/components/report-link.tsx";
import { formatDate } from "#app/utils/dates.ts";
import { zoneName } from "#app/utils/time.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.profile.name ?? data.profile.login} · Roadies` : "Person not found · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await getCurrentUser(request);
  const login = params.login ?? "";
  // Hidden, signed-in-only (for visitors), suspended and moderated profiles all answer 404, so
  // nobody can tell a hidden profile from one that does not exist.
  const profile = /^[A-Za-z0-9-~]{1,60}$/.test(login) ? await getPublicProfile(login, viewer) : null;
  if (!profile) throw notFound();
  return {
    profile,
    isSelf: viewer?.login.toLowerCase() === profile.login.toLowerCase(),
    isAdmin: viewer?.isAdmin ?? false,
    signedIn: Boolean(viewer),
    zone: profile.timezone ? zoneName(profile.timezone, Date.now()) : null,
  };
}

export default function PersonPage() {
  const { profile: p, isSelf, isAdmin, signedIn, zone } = useLoaderData<typeof loader>();
  return (
    <article className="stack person">
      <header className="person-header">
        {p.avatarUrl ? <img src={p.avatarUrl} alt="" width="72" height="72" className="avatar avatar-large" /> : null}
        <div>
          <h1>{p.name ?? p.login}</h1>
          <p className="muted">
            @{p.login} · on Roadies since {formatDate(p.memberSince)}
          </p>
          <Badges badges={p.badges} />
        </div>
      </header>
      {p.suspended ? (
        <div className="alert alert-error">
          <p>This account is suspended: only you and working-group admins see this page.</p>
        </div>
      ) : null}
      {p.hiddenReason ? (
        <div className="alert alert-error">
          <p>This profile is hidden by the working group: {p.hiddenReason}</p>
        </div>
      ) : null}
      {isSelf ? (
        <p>
          {p.visibility === "hidden"
            ? "Your profile is hidden: only you see this page."
            : p.visibility === "users"
              ? "Only signed-in people can see your profile."
              : "Anyone can see your profile."}{" "}
          <Link to="/settings/profile">Edit your profile</Link>
        </p>
      ) : null}
      {p.bioHtml ? <div className="prose" dangerouslySetInnerHTML={{ __html: p.bioHtml }} /> : null}
      <dl className="facts">
        <dt>Hours a week</dt>
        <dd>{p.availabilityHours ?? "Not given"}</dd>
        <dt>Time zone</dt>
        <dd>{zone ?? "Not given"}</dd>
        <dt>Would take on</dt>
        <dd>{p.rolesWanted.length ? p.rolesWanted.map((r) => roleLabels[r]).join(", ") : "Not given"}</dd>
        <dt>Open to taking over a package</dt>
        <dd>{p.openToTakeover ? "Yes" : "No"}</dd>
        <dt>Django versions</dt>
        <dd>{p.djangoVersions.length ? p.djangoVersions.join(", ") : "Not given"}</dd>
        <dt>Package categories</dt>
        <dd>{p.categories.length ? p.categories.join(", ") : "Not given"}</dd>
      </dl>
      <section aria-labelledby="skills-title">
        <h2 id="skills-title">Skills</h2>
        {p.skills.length ? (
          <ul className="skill-list">
            {p.skills.map((s) => (
              <li key={s.skillId}>
                {s.name} <span className="tag">{levelLabels[s.level]}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No skills listed yet.</p>
        )}
      </section>
      <section aria-labelledby="filled-title">
        <h2 id="filled-title">Calls filled</h2>
        {p.filledCalls.length ? (
          <ul>
            {p.filledCalls.map((c) => (
              <li key={c.id}>
                <Link to={`/calls/${c.id}`}>{c.title}</Link>
                {c.packageName ? <span className="muted"> · {c.packageName}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">None yet.</p>
        )}
      </section>
      {isAdmin && !isSelf ? (
        <p>
          <Link to={`/admin/moderation?login=${encodeURIComponent(p.login)}`}>Moderate this person</Link>
        </p>
      ) : null}
      {signedIn && !isSelf ? (
        <p>
          <ReportLink type="profile" id={p.login} what={`@${p.login}'s profile`} />
        </p>
      ) : null}
    </article>
  );
}
