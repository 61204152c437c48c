// POST /internal/jobs/digest with `Authorization: Bearer <INTERNAL_API_TOKEN>`: starts this week's
// digest for an external scheduler (a Fly scheduled machine, cron). Optional JSON body
// {"week": "2026-W48"}. Answers when the run is over, with its summary; 409 if one is already running.
import type { ActionFunctionArgs } from "@remix-run/node";
import { env } from "#app/utils/env.server.ts";
import { safeEqual } from "#app/utils/crypto.server.ts";
import { DigestInputError, runDigest } from "#app/jobs/digest.server.ts";

export async function loader() {
  throw new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const match = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "");
  if (!match || !safeEqual(match[1]!, env().internalApiToken)) {
    return Response.json({ error: "unauthorized" }, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
  }
  let week: string | undefined;
  const text = await request.text();
  if (text.trim()) {
    try {
      const body = JSON.parse(text) as { week?: unknown };
      if (body.week !== undefined && typeof body.week !== "string") throw new Error();
      week = body.week as string | undefined;
    } catch {
      return Response.json({ error: 'the body must be JSON such as {"week": "2026-W48"}' }, { status: 400 });
    }
  }
  try {
    const summary = await runDigest({ week });
    if (summary.status === "busy")
      return Response.json({ error: "a digest run is already in progress" }, { status: 409 });
    return Response.json(summary, { status: 200 });
  } catch (error) {
    if (error instanceof DigestInputError) return Response.json({ error: error.message }, { status: 400 });
    throw error;
  }
}
