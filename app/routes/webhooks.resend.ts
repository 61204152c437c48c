// POST /webhooks/resend: bounces and complaints from Resend, verified with the Svix signature over
// the raw body. Anything unverified gets 401 and changes nothing.
import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "#app/utils/env.server.ts";
import { handleResendWebhook } from "#app/models/digest/webhooks.server.ts";

export async function loader() {
  throw new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") throw new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const body = await request.text();
  const outcome = await handleResendWebhook(
    env().resend.webhookSecret,
    {
      id: request.headers.get("svix-id"),
      timestamp: request.headers.get("svix-timestamp"),
      signature: request.headers.get("svix-signature"),
    },
    body,
  );
  return Response.json({ message: outcome.message }, { status: outcome.status });
}
