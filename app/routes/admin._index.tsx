// /admin: the working group's home: what is waiting for someone.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRoadieOrWorkingGroup, isWorkingGroupMember } from "#app/models/people/roadies.server.ts";
import { adminQueues } from "#app/models/moderation/admin-home.server.ts";

export const meta: MetaFunction = () => [{ title: "Working group · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRoadieOrWorkingGroup(request);
  const member = user.isAdmin || (await isWorkingGroupMember(user.id));
  return { queues: await adminQueues(), member, admin: user.isAdmin };
}

export default function AdminHome() {
  const { queues, member, admin } = useLoaderData<typeof loader>();
  const items = [
    member && { to: "/admin/roadies", label: "Roadie applications to vote on", n: queues.applications },
    member && { to: "/admin/working-group", label: "Other votes (invitations and removals)", n: queues.otherVotes },
    { to: "/admin/transfers", label: "Transfers needing a roadie", n: queues.transfersNeedingRoadie },
    { to: "/admin/nominations", label: "Nominations to triage", n: queues.nominations },
    admin && { to: "/admin/moderation", label: "Hidden content and suspensions", n: queues.hidden },
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
      {member ? (
        <nav aria-labelledby="admin-more-title">
          <h2 id="admin-more-title">More</h2>
          <ul>
            <li>
              <Link to="/admin/audit">Audit log</Link>
            </li>
            {admin ? (
              <li>
                <Link to="/admin/announcements">Call announcements (webhooks)</Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
