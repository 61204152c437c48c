// A thread's version for live updates (app/components/live.tsx): an ETag naming the thread's last
// change, 304 while the client's If-None-Match still matches. Members only (checked on every poll,
// so a power that ended stops the updates); it shows no content, so looks are not audited.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { requireThread } from "#app/models/conversations/conversations.server.ts";
import { threadVersion } from "#app/models/conversations/threads.server.ts";
import { notModified } from "#app/utils/page-cache.server.ts";

const headers = { "Cache-Control": "private, no-store", Vary: "Cookie" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Signed out meanwhile: the live hook stops on 401.
  if (!(await getCurrentUser(request)))
    return new Response("Sign in to follow this conversation.", { status: 401, headers });
  const { thread, member } = await requireThread(request, params.id, { audit: false });
  if (!member) return new Response("Join the conversation first.", { status: 403, headers });
  const etag = threadVersion(thread);
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch && notModified({ "if-none-match": ifNoneMatch }, etag)) {
    return new Response(null, { status: 304, headers: { ...headers, ETag: etag } });
  }
  return Response.json({ version: etag }, { headers: { ...headers, ETag: etag } });
}
