import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { requireSession } from "#app/models/people/auth.server.ts";
import { deleteOtherSessions, deleteSession, listSessions } from "#app/models/people/sessions.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse, notFound } from "#app/utils/http.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Sessions · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { session, user } = await requireSession(request);
  const sessions = await listSessions(user.id);
  return { sessions: sessions.map((s) => ({ ...s, current: s.id === session.id })) };
}

export async function action({ request }: ActionFunctionArgs) {
  const { session, user } = await requireSession(request);
  const form = await readFormData(request);
  switch (form.get("intent")) {
    case "sign-out-others":
      return signOutOthers(user.id, session.id);
    case "sign-out-one":
      return signOutOne(user.id, session.id, String(form.get("id") ?? ""));
    default:
      invariantResponse(false, "Unknown action.");
  }
}

async function signOutOthers(userId: number, currentSessionId: string) {
  await deleteOtherSessions(userId, currentSessionId);
  return redirect("/settings/sessions");
}

async function signOutOne(userId: number, currentSessionId: string, id: string) {
  // Only a session of this user, and never through here the current one.
  const mine = (await listSessions(userId)).some((s) => s.id === id && s.id !== currentSessionId);
  if (!mine) throw notFound("No such session.");
  await deleteSession(id);
  return redirect("/settings/sessions");
}

function describeAgent(agent: string | null) {
  if (!agent) return "Unknown device";
  const browser = /Firefox\//.test(agent)
    ? "Firefox"
    : /Edg\//.test(agent)
      ? "Edge"
      : /Chrom(e|ium)\//.test(agent)
        ? "Chrome"
        : /Safari\//.test(agent)
          ? "Safari"
          : "Browser";
  const os = /Windows/.test(agent)
    ? "Windows"
    : /Mac OS X/.test(agent)
      ? "macOS"
      : /Android/.test(agent)
        ? "Android"
        : /iPhone|iPad/.test(agent)
          ? "iOS"
          : /Linux/.test(agent)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export default function Sessions() {
  const { sessions } = useLoaderData<typeof loader>();
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="stack">
      <h1>Your sessions</h1>
      <p>These are the browsers signed in to your account. Sessions end after 30 days without use.</p>
      <div className="table-scroll">
        <table>
          <caption>Signed-in sessions</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">Signed in</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  <span title={s.userAgent ?? undefined}>{describeAgent(s.userAgent)}</span>
                  {s.current ? <span className="tag">This browser</span> : null}
                </td>
                <td>{formatDateTime(s.createdAt)}</td>
                <td>{formatDateTime(s.lastUsedAt)}</td>
                <td>
                  {s.current ? null : (
                    <Form method="post">
                      <input type="hidden" name="id" value={s.id} />
                      <button type="submit" name="intent" value="sign-out-one" className="link-button">
                        Sign out
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post">
        <button
          type="submit"
          name="intent"
          value="sign-out-others"
          className="button button-secondary"
          disabled={others === 0}
        >
          Sign out of all other sessions
        </button>
      </Form>
    </section>
  );
}
