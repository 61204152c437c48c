// /packages.json: the directory as shown for the same query (filters, sort, page); `all=1` gives
// every matching package on one answer.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { directoryViewer, listDirectory } from "#app/models/packages/directory.server.ts";
import { parseDirectoryQuery } from "#app/models/packages/directory.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const query = parseDirectoryQuery(url);
  const viewer = await directoryViewer(await getCurrentUser(request));
  const result = await listDirectory(query, viewer, { all: url.searchParams.get("all") === "1" });
  return new Response(JSON.stringify({ query, ...result }, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}
