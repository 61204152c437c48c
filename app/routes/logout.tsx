// POST /logout: ends this session on the server and clears the cookie.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getCurrentSession } from "#app/models/people/auth.server.ts";
import { deleteSession, sessionClearCookie } from "#app/models/people/sessions.server.ts";

export async function action({ request }: ActionFunctionArgs) {
  const current = await getCurrentSession(request);
  if (current) await deleteSession(current.session.id);
  return redirect("/", { headers: { "Set-Cookie": sessionClearCookie() } });
}

export const loader = () => redirect("/");
