// /requests: the special requests a person can see. Open, non-confidential requests are listed
// for everyone; a person's own lists (filed for their packages, assigned to them, all for admins)
// appear only to them. Confidential requests never reach the public list.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import {
  listAllRequests,
  listAssignedTo,
  listFilablePackages,
  listFiledFor,
  listPublicRequests,
} from "#app/models/requests/requests.server.ts";
import {
  kindLabels,
  severityLabels,
  stateLabels,
  type RequestKind,
  type RequestSeverity,
  type RequestState,
} from "#app/models/requests/forms.ts";
import { formatShortDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Special requests · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  const [open, filed, assigned, all, filable] = await Promise.all([
    listPublicRequests(),
    user ? listFiledFor(user.id) : [],
    user ? listAssignedTo(user.id) : [],
    user?.isAdmin ? listAllRequests() : [],
    user ? listFilablePackages(user.id) : [],
  ]);
  return {
    signedIn: Boolean(user),
    isAdmin: Boolean(user?.isAdmin),
    open,
    filed,
    assigned,
    all,
    canFile: filable.length > 0,
  };
}

type Item = {
  id: number;
  kind: RequestKind;
  title: string;
  severity: RequestSeverity | null;
  confidential: boolean;
  state: RequestState;
  packageName: string;
  createdAt: number;
};

function RequestTable({ items, caption }: { items: Item[]; caption: string }) {
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Request</th>
            <th scope="col">Package</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Filed</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
                <Link to={`/requests/${item.id}`}>{item.title}</Link>
                {item.confidential ? <span className="tag">Confidential</span> : null}
              </td>
              <td>{item.packageName}</td>
              <td>
                {kindLabels[item.kind]}
                {item.severity ? ` (${severityLabels[item.severity].toLowerCase()})` : ""}
              </td>
              <td>{stateLabels[item.state]}</td>
              <td>{formatShortDate(item.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Section({ title, items, empty }: { title: string; items: Item[]; empty: string }) {
  return (
    <section className="stack" aria-labelledby={`h-${title.replace(/\W+/g, "-")}`}>
      <h2 id={`h-${title.replace(/\W+/g, "-")}`}>{title}</h2>
      {items.length ? <RequestTable items={items} caption={title} /> : <p className="muted">{empty}</p>}
    </section>
  );
}

export default function Requests() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="stack">
      <h1>Special requests</h1>
      <p>
        Maintainers of a package can ask the Roadies experts for help with security reports, funding, handing a package
        on, licensing, and infrastructure. Each request goes to one expert, who must acknowledge it within a deadline;
        if they cannot, it moves on to the next.
      </p>
      <p>
        {d.canFile ? (
          <Link to="/requests/new" className="button">
            File a request
          </Link>
        ) : null}{" "}
        {d.signedIn ? (
          <Link to="/requests/pools" className="button button-secondary">
            Expert pools
          </Link>
        ) : null}
      </p>
      <p>
        Guides: <Link to="/guides/security">handling a vulnerability report</Link> ·{" "}
        <Link to="/guides/funding">funding a Django package</Link>
      </p>
      {d.signedIn ? (
        <>
          <Section title="For your packages" items={d.filed} empty="No requests for packages you maintain." />
          <Section title="Assigned to you" items={d.assigned} empty="Nothing assigned to you." />
          {d.isAdmin ? <Section title="All requests" items={d.all} empty="No requests yet." /> : null}
        </>
      ) : null}
      <Section title="Open requests" items={d.open} empty="No open requests right now." />
    </div>
  );
}
