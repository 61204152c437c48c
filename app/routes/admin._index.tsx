// /admin: the working group's home: what is waiting for someone.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRoadieOrWorkingGroup, isWorkingGroupMember } from "#app/models/people/roadies.server.ts";
import { adminQueues } from "#app/models/moderation/admin-home.server.ts";
import { guidesNeedingAttention } from "#app/models/guides/guides.server.ts";
import { guidePath } from "#app/models/guides/paths.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Working group · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // The counts do not depend on who asks: asked beside the session and the roles check (they are
  // shown only once it passes). [guides] Suggestions waiting for a reviewer, and guides not reviewed
  // for 12 months.
  const [user, guides, queues] = await Promise.all([
    requireRoadieOrWorkingGroup(request),
    guidesNeedingAttention(),
    adminQueues(),
  ]);
  const member = user.isAdmin || (await isWorkingGroupMember(user.id));
  return {
    queues,
    member,
    admin: user.isAdmin,
    guideSuggestions: guides.pendingSuggestions,
    guidesDue: guides.due.map((g) => ({
      slug: g.slug,
      title: g.title,
      href: guidePath(g.slug),
      lastReviewed: formatDate(g.lastReviewedAt),
    })),
  };
}

export default function AdminHome() {
  const { queues, member, admin, guideSuggestions, guidesDue } = useLoaderData<typeof loader>();
  const items = [
    member && { to: "/admin/roadies", label: "Roadie applications to vote on", n: queues.applications },
    member && { to: "/admin/working-group", label: "Other votes (invitations and removals)", n: queues.otherVotes },
    { to: "/admin/transfers", label: "Transfers needing a roadie", n: queues.transfersNeedingRoadie },
    { to: "/admin/nominations", label: "Nominations to triage", n: queues.nominations },
    admin && { to: "/admin/moderation", label: "Hidden content and suspensions", n: queues.hidden },
    { to: "/guides/suggestions", label: "Suggested edits to the guides", n: guideSuggestions },
  ].filter((x): x is { to: string; label: string; n: number } => Boolean(x));
  return (
    <section className="stack">
      <h1>Working group</h1>
      <p>What is waiting for someone. Pick anything: nobody has to carry it all.</p>
      <ul className="queue-list">
        {items.map((i) => (
          <li key={i.to} className="card">
            <Link to={i.to}>{i.label}</Link> <span className="tag">{i.n}</span>
          </li>
        ))}
      </ul>
      {guidesDue.length ? (
        <section className="stack" aria-labelledby="guides-due-title">
          <h2 id="guides-due-title">Guides due for review</h2>
          <p>Not reviewed for 12 months: read each one, then mark it reviewed or suggest the corrections it needs.</p>
          <ul>
            {guidesDue.map((g) => (
              <li key={g.slug}>
                <Link to={g.href}>{g.title}</Link>, last reviewed {g.lastReviewed} ·{" "}
                <Link to={`/guides/${g.slug}/history`}>Review it</Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {member ? (
        <nav aria-labelledby="admin-more-title">
          <h2 id="admin-more-title">More</h2>
          <ul>
            <li>
              <Link to="/admin/audit">Audit log</Link>
            </li>
            <li>
              <Link to="/meetings">The working group's meetings</Link> (agendas and notes)
            </li>
            <li>
              <Link to="/surveys">Maintainer surveys</Link>
            </li>
            {admin ? (
              <li>
                <Link to="/admin/announcements">Call announcements (webhooks)</Link>
              </li>
            ) : null}
            {admin ? (
              <li>
                <Link to="/admin/jobs">Background jobs</Link> (schedules, runs, run now)
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
