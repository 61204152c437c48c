// Demo mode only: the raw HTML of one outbox email, framed by the outbox page. server.ts gives this
// path a mail-client CSP (inline styles, no scripts) since emails carry their styles inline.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOutboxEmail } from "#app/models/digest/outbox.server.ts";
import { env } from "#app/utils/env.server.ts";
import { notFound } from "#app/utils/http.server.ts";

const Params = z.object({ id: z.coerce.number().int().positive() });

export async function loader({ params }: LoaderFunctionArgs) {
  const parsed = Params.safeParse(params);
  const email = env().demo && parsed.success ? await getOutboxEmail(parsed.data.id) : undefined;
  if (!email) return notFound();
  return new Response(email.html, {
    headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
  });
}
