// /people: volunteers who chose to be found, optionally by the role they would take on.
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { listPeople } from "#app/models/people/profile.server.ts";
import { roleLabels } from "#app/models/people/profile.ts";
import { profileRoles } from "#db/schema.ts";

export const meta: MetaFunction = () => [{ title: "People · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getCurrentUser(request);
  const roleParam = new URL(request.url).searchParams.get("role");
  const role = profileRoles.find((r) => r === roleParam);
  return { people: await listPeople(Boolean(viewer), { role }), role: role ?? "", signedIn: Boolean(viewer) };
}

export default function People() {
  const { people, role, signedIn } = useLoaderData<typeof loader>();
  return (
    <section className="stack">
      <h1>People</h1>
      <p>
        Volunteers who filled in a profile and chose to be found.{" "}
        {signedIn ? <Link to="/settings/profile">Edit your own profile</Link> : null}
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="role">Would take on</label>
          <select id="role" name="role" defaultValue={role}>
            <option value="">Any role</option>
            {profileRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Filter
        </button>
      </Form>
      {people.length ? (
        <ul className="package-list">
          {people.map((p) => (
            <li key={p.id} className="card">
              <h2>
                <Link to={`/people/${p.login}`}>{p.name ?? p.login}</Link>
              </h2>
              <p className="muted">@{p.login}</p>
              <p>
                {p.rolesWanted.map((r) => roleLabels[r]).join(", ") || "No roles given"}
                {p.availabilityHours !== null ? ` · ${p.availabilityHours} h/week` : ""}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody matches yet.</p>
      )}
    </section>
  );
}
