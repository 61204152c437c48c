// GET /settings/account/export: everything Roadies holds about the signed-in person, as JSON.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/models/people/auth.server.ts";
import { exportAccount } from "#app/models/people/account.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const body = await exportAccount(user.id);
  return new Response(JSON.stringify(body, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="roadies-${user.login}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
