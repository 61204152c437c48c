// Who is asking: the signed-in user of a request, and guards for loaders and actions.
import { redirect } from "@remix-run/node";
import { notFound } from "#app/utils/http.server.ts";
import { oncePerRequest } from "#app/utils/request-context.server.ts";
import { readSessionToken, validateSessionToken, type SessionWithUser } from "#app/models/people/sessions.server.ts";

const cache = new WeakMap<Request, Promise<SessionWithUser | null>>();

/**
 * The current session and user, or null. Looked up once per request: a page's loaders (root and
 * route, each handed its own copy of the Request by Remix) share one lookup. Only for reads: after an
 * action in the same request (a form posted without JavaScript) the loaders must see what it changed.
 */
export function getCurrentSession(request: Request): Promise<SessionWithUser | null> {
  let pending = cache.get(request);
  if (!pending) {
    const token = readSessionToken(request);
    const look = () => (token ? validateSessionToken(token) : Promise.resolve(null));
    pending = request.method === "GET" || request.method === "HEAD" ? oncePerRequest(`session:${token}`, look) : look();
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

/**
 * The answer of a page whose object this viewer may not see, or that does not exist: a signed-out
 * visitor is sent to sign in and brought back here afterwards (it may be theirs to see: an expert
 * following an email link to their request), a signed-in person gets 404. A missing id and a hidden
 * one take this same path, so neither a visitor nor a signed-in person learns whether it exists.
 * @throws a redirect to /login?next=… (signed out) or Response 404 (signed in)
 */
export async function signInOrNotFound(request: Request): Promise<never> {
  await requireSession(request);
  throw notFound();
}

export async function requireUser(request: Request) {
  return (await requireSession(request)).user;
}

export async function requireAdmin(request: Request) {
  const user = await requireUser(request);
  if (!user.isAdmin) throw new Response("Forbidden", { status: 403 });
  return user;
}
