// The inbox's version for live updates (app/components/live.tsx): an ETag naming the person's
// unread count and newest notification, 304 when the client's If-None-Match still matches. Read
// from the database on every request, so any instance answers the same.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { inboxEtag, inboxVersion } from "#app/models/inbox/notifications.server.ts";
import { notModified } from "#app/utils/page-cache.server.ts";

const headers = { "Cache-Control": "private, no-store", Vary: "Cookie" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  if (!user) return new Response("Sign in to see your inbox.", { status: 401, headers });
  const version = await inboxVersion(user.id);
  const etag = inboxEtag(version);
  // Only the validator is compared: a browser adds "Cache-Control: no-cache" to a no-store fetch,
  // which must not turn a match into a full answer.
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch && notModified({ "if-none-match": ifNoneMatch }, etag)) {
    return new Response(null, { status: 304, headers: { ...headers, ETag: etag } });
  }
  return Response.json({ unread: version.unread }, { headers: { ...headers, ETag: etag } });
}
