// GET /api/calls: open, public calls as JSON, with the same filters as /calls (docs/api.md).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseCallQuery } from "#app/models/calls/forms.ts";
import { listCalls } from "#app/models/calls/listing.server.ts";
import { API_VERSION, jsonWithEtag, publicCall } from "#app/models/calls/api.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const query = parseCallQuery(new URL(request.url));
  const result = await listCalls(query);
  return jsonWithEtag(request, {
    version: API_VERSION,
    total: result.total,
    page: result.page,
    pageCount: result.pageCount,
    sort: result.sort,
    calls: result.calls.map(publicCall),
  });
}
