// /inbox/:id: opens one notification: marks it read and goes to its page. Only the person it was
// sent to can open it; anyone else (and a missing id) gets the same 404.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/models/people/auth.server.ts";
import { openNotification } from "#app/models/inbox/notifications.server.ts";
import { notFound, parseId } from "#app/utils/http.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const href = await openNotification(user.id, parseId(params.id));
  if (!href) throw notFound();
  return redirect(href, { headers: { "Cache-Control": "private, no-store" } });
}
