// Demo data for the working group's meetings: the last three monthly meetings (second Thursday of the
// month, 16:00 UTC) with their notes, one set internal to the group, and the next monthly meeting.
// Inserted oldest first, so the first past meeting is meeting 1 (the authorization matrix opens it).
import { randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { meetings, users } from "../schema.ts";

const HOUR = 60 * 60 * 1000;

/** 16:00 UTC on the second Thursday of the month `offset` months from the month of `now`. */
function secondThursday(now: number, offset: number): number {
  const d = new Date(now);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1, 16));
  const toThursday = (4 - first.getUTCDay() + 7) % 7;
  return first.getTime() + (toThursday + 7) * 24 * HOUR;
}

const monthName = (ms: number) =>
  new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(ms);

const pastNotes = [
  {
    agenda: `- Welcome and introductions
- Django 6.1 compatibility drive: where packages stand
- Best-practice guides: who reviews which
- Any other business`,
    notes: `**Present:** ada-demo, kofi-demo, gus-demo, jo-demo

## Decisions
- The compatibility drive for the next Django release opens when its beta ships.
- Each guide gets an owner who re-reads it at least once a year.

## Actions
- kofi-demo: draft the call for help for packages without a 6.1 release.
- jo-demo: ask the maintainers of dormant packages whether they want co-maintainers.`,
    internal: false,
  },
  {
    agenda: `- Roadie applications waiting for review
- A maintainer transfer that stalled
- Any other business`,
    notes: `Discussion of two roadie applications and one stalled transfer, with names and circumstances.
These notes stay internal to the working group.

## Actions
- ada-demo: write to the applicants with the group's decision.`,
    internal: true,
  },
  {
    agenda: `- Mentoring programmes: this season's applications
- The security guide: suggestions waiting for review
- Scheduling the next meetings`,
    notes: `**Present:** ada-demo, gus-demo, jo-demo. Apologies: kofi-demo.

## Decisions
- Meetings stay on the second Thursday of the month at 16:00 UTC.
- Suggested edits to a guide are answered within two weeks.

## Actions
- gus-demo: review the open suggestions to the security guide.`,
    internal: false,
  },
];

const nextAgenda = `- Welcome, and actions from last month
- Packages that need a new maintainer: the month's list
- The release calendar: dates to confirm
- Any other business (add yours by replying to the announcement)`;

export async function seedMeetings(db: Database, now: number): Promise<void> {
  const organisers = await db
    .select({ id: users.id, login: users.login })
    .from(users)
    .where(and(eq(users.isDemo, true), inArray(users.login, ["ada-demo", "kofi-demo"])));
  const by = (login: string) => organisers.find((o) => o.login === login)?.id ?? null;

  const slots = [-4, -3, -2, -1, 0, 1, 2].map((offset) => secondThursday(now, offset));
  const past = slots.filter((s) => s + HOUR <= now).slice(-3);
  const next = slots.find((s) => s > now)!;

  const rows = [
    ...past.map((startsAt, i) => ({
      title: `Monthly meeting, ${monthName(startsAt)}`,
      startsAt,
      agenda: pastNotes[i]!.agenda,
      notes: pastNotes[i]!.notes,
      notesInternal: pastNotes[i]!.internal,
      revisedAt: startsAt - 20 * 24 * HOUR,
      updatedAt: startsAt + 24 * HOUR,
    })),
    {
      title: `Monthly meeting, ${monthName(next)}`,
      startsAt: next,
      agenda: nextAgenda,
      notes: null,
      notesInternal: false,
      revisedAt: Math.min(now, next - 14 * 24 * HOUR),
      updatedAt: Math.min(now, next - 14 * 24 * HOUR),
    },
  ].map((r) => ({
    ...r,
    uid: `meeting-${randomUUID()}@roadies`,
    durationMinutes: 60,
    enteredTimeZone: "UTC",
    videoUrl: "https://meet.jit.si/roadies-working-group-demo",
    status: "scheduled" as const,
    sequence: 0,
    createdByUserId: by("ada-demo"),
    updatedByUserId: by("kofi-demo") ?? by("ada-demo"),
    createdAt: r.revisedAt,
  }));
  await db.insert(meetings).values(rows);
}
