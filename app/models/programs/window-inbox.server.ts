// [inbox] A programme's application window closing soon, in the inbox of each person who started
// an application (a draft) and has not submitted it: once per application and closing time.
import { and, eq, gt, lte } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { DAY_MS } from "#app/utils/dates.ts";
import { notify } from "#app/models/inbox/notifications.server.ts";
import { formatInZone } from "#app/models/programs/window.ts";

/** How long before the window closes a draft's author is reminded. */
export const CLOSING_REMINDER_MS = 3 * DAY_MS;

export async function remindClosingDrafts(now = Date.now()): Promise<number> {
  const a = schema.applications;
  const p = schema.programs;
  const drafts = await db()
    .select({
      id: a.id,
      userId: a.userId,
      name: p.name,
      slug: p.slug,
      closesAt: p.closesAt,
      windowTimezone: p.windowTimezone,
    })
    .from(a)
    .innerJoin(p, eq(p.id, a.programId))
    .where(and(eq(a.status, "draft"), gt(p.closesAt, now), lte(p.closesAt, now + CLOSING_REMINDER_MS)))
    .all();
  await notify(
    drafts.map((d) => ({
      userId: d.userId,
      kind: "programme-closing" as const,
      title: `Your draft application to ${d.name} is not submitted: applications close ${formatInZone(d.closesAt, d.windowTimezone)}`,
      href: `/programs/${d.slug}/apply`,
      key: `programme-closing:${d.id}:${d.closesAt}`,
    })),
    now,
  );
  return drafts.length;
}
