// Who is asking: the signed-in user of a request, and guards for loaders and actions.
import { redirect } from "@remix-run/node";
import { readSessionToken, validateSessionToken, type SessionWithUser } from "#app/models/people/sessions.server.ts";

const cache = new WeakMap<Request, Promise<SessionWithUser | null>>();

/** The current session and user, or null. Looked up once per request. */
export function getCurrentSession(request: Request): Promise<SessionWithUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    const token = readSessionToken(request);
    pending = token ? validateSessionToken(token) : Promise.resolve(null);
    cache.set(request, pending);
  }
  return pending;
}

export async function getCurrentUser(request: Request) {
  return (await getCurrentSession(request))?.user ?? null;
}

/** The current session, or a redirect to /login that comes back here afterwards. */
export async function requireSession(request: Request): Promise<SessionWithUser> {
  const current = await getCurrentSession(request);
  if (!current) {
    const url = new URL(request.url);
    throw redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return current;
}

export async function requireUser(request: Request) {
  return (await requireSession(request)).user;
}

export async function requireAdmin(request: Request) {
  const user = await requireUser(request);
  if (!user.isAdmin) throw new Response("Forbidden", { status: 403 });
  return user;
}
