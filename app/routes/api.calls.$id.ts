// GET /api/calls/:id: one public call as JSON (any status; hidden calls are 404).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getVisibleCall } from "#app/models/calls/calls.server.ts";
import { API_VERSION, jsonWithEtag, publicCall } from "#app/models/calls/api.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const call = await getVisibleCall(params.id, null);
  if (!call) return jsonWithEtag(request, { version: API_VERSION, error: "not_found" }, 404);
  return jsonWithEtag(request, {
    version: API_VERSION,
    call: publicCall({
      ...call,
      packageName: call.packageName,
      packageSlug: call.packageSlug,
    }),
  });
}
