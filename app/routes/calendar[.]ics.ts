// The calendar as an iCalendar feed (RFC 5545) that calendar apps subscribe to.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { env } from "#app/utils/env.server.ts";
import { listCalendarEvents, renderIcs } from "#app/models/ecosystem/releases.server.ts";

const Only = z.enum(["django", "programs", "meetings"]).optional().catch(undefined);

const names = {
  django: "Django releases (Roadies)",
  programs: "Programme deadlines (Roadies)",
  meetings: "Working-group meetings (Roadies)",
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const only = Only.parse(new URL(request.url).searchParams.get("only") ?? undefined);
  const events = await listCalendarEvents(only ?? "all");
  const name = only ? names[only] : "Roadies calendar";
  return new Response(renderIcs(events, env().appUrl, Date.now(), name), {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `inline; filename="roadies${only ? `-${only}` : ""}.ics"`,
      "Cache-Control": "public, max-age=3600",
    },
  });
}
