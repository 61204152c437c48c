// /people/:login: a volunteer's public profile, as far as their visibility setting allows. A
// signed-in person can block (and unblock) them here: see docs/conversations.md.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getCurrentUser, requireUser } from "#app/models/people/auth.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { findUserIdByLogin } from "#app/models/people/roadies.server.ts";
import { blockUser, hasBlocked, unblockUser } from "#app/models/conversations/blocks.server.ts";
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
  const viewerPending = getCurrentUser(request);
  const login = params.login ?? "";
  const valid = /^[A-Za-z0-9-~]{1,60}$/.test(login);
  // Hidden, signed-in-only (for visitors), suspended and moderated profiles all answer 404, so
  // nobody can tell a hidden profile from one that does not exist. The session, the person and
  // their profile are read side by side (two round trips in all).
  const [viewer, profile, person] = await Promise.all([
    viewerPending,
    valid ? getPublicProfile(login, viewerPending) : null,
    valid ? findUserIdByLogin(login) : undefined,
  ]);
  if (!profile) throw notFound();
  const isSelf = viewer?.login.toLowerCase() === profile.login.toLowerCase();
  return {
    profile,
    blocked: viewer && person && !isSelf ? await hasBlocked(viewer.id, person.id) : false,
    isSelf,
    isAdmin: viewer?.isAdmin ?? false,
    signedIn: Boolean(viewer),
    zone: profile.timezone ? zoneName(profile.timezone, Date.now()) : null,
  };
}

/** Block or unblock this person (never oneself); the same 404 as the page for a profile one cannot see. */
export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireUser(request);
  const login = params.login ?? "";
  const profile = /^[A-Za-z0-9-~]{1,60}$/.test(login) ? await getPublicProfile(login, viewer) : null;
  const person = profile ? await findUserIdByLogin(profile.login) : undefined;
  if (!profile || !person) throw notFound();
  if (person.id === viewer.id) throw data({ message: "You cannot block yourself." }, { status: 400 });
  const intent = (await readFormData(request)).get("intent");
  if (intent === "block") await blockUser(viewer.id, person.id);
  else if (intent === "unblock") await unblockUser(viewer.id, person.id);
  else throw data({ message: "Unknown action." }, { status: 400 });
  return redirect(`/people/${profile.login}?${intent}ed=1`);
}

export default function PersonPage() {
  const { profile: p, isSelf, isAdmin, signedIn, zone, blocked } = useLoaderData<typeof loader>();
  const [query] = useSearchParams();
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
      {signedIn && !isSelf ? (
        <section className="card stack" aria-labelledby="block-heading">
          <h2 id="block-heading">{blocked ? `You blocked @${p.login}` : `Block @${p.login}`}</h2>
          {query.get("blocked") === "1" || query.get("unblocked") === "1" ? (
            <p className="alert" role="status">
              {blocked ? "Blocked." : "Unblocked."}
            </p>
          ) : null}
          <p>
            {blocked
              ? "They cannot post in conversations you are in, and you are not notified of their messages."
              : "They could no longer post in conversations you are in, and you would not be notified of their messages. They are not told, unless they try to post."}
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value={blocked ? "unblock" : "block"} />
            <button type="submit" className="button button-secondary">
              {blocked ? `Unblock @${p.login}` : `Block @${p.login}`}
            </button>
          </Form>
        </section>
      ) : null}
    </article>
  );
}
