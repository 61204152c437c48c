// Demo conversations: the handover of django-dbtemplates (thread 1, which the security suite's
// route matrix opens) and the accepted offers of help on django-formtools and django-widget-tweaks,
// each with a few messages between the maintainer and the volunteer, the newest unread; the other
// open subjects' conversations, empty.
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../app/utils/db.server.ts";
import { makeMissingThreads } from "../../app/models/conversations/threads.server.ts";
import {
  callInterests,
  calls,
  messages,
  notifications,
  packageMaintainers,
  packages,
  threadStates,
  threads,
  transfers,
  users,
} from "../schema.ts";

const HOUR = 60 * 60 * 1000;

type Line = { who: "maintainer" | "other" | "roadie"; hoursAgo: number; body: string };

const transferLines: Line[] = [
  {
    who: "roadie",
    hoursAgo: 9 * 24,
    body: "Hi both, I am shepherding this handover. The checklist is on the transfer page; shout here if a step is unclear.",
  },
  {
    who: "maintainer",
    hoursAgo: 8 * 24,
    body: "Thanks! @mateo-demo, I have added you as a collaborator on GitHub. PyPI comes last, once you have cut a release from `main`.",
  },
  {
    who: "other",
    hoursAgo: 6 * 24,
    body: "Got the invite. I ran the test suite against PostgreSQL 16 locally and it is green. Shall I try a pre-release next week?",
  },
  {
    who: "maintainer",
    hoursAgo: 5,
    body: "Yes, a `5.0rc1` would be perfect. The changelog lives in `docs/changelog.rst`; add a line for the Django 5.2 support.",
  },
];

const interestLines: Record<string, Line[]> = {
  "django-formtools": [
    {
      who: "maintainer",
      hoursAgo: 4 * 24,
      body: "Welcome, and thanks for offering! The failing tests are all in `tests/wizard/`. Could you start with the `SessionWizardView` ones?",
    },
    {
      who: "other",
      hoursAgo: 3 * 24,
      body: "On it. Most failures come from the removed `get_form_kwargs` fallback. I will open one PR per deprecation so the reviews stay small.",
    },
    {
      who: "maintainer",
      hoursAgo: 2,
      body: "Sounds good. Tag me on the first PR and I will review it the same day.",
    },
  ],
  "django-widget-tweaks": [
    {
      who: "maintainer",
      hoursAgo: 30 * 24,
      body: "Welcome aboard! I suggest we pair for a month before the handover. Does a call on Thursdays work for you?",
    },
    {
      who: "other",
      hoursAgo: 29 * 24,
      body: "Thursdays at 17:00 UTC work well. I have read through the template tags already; `render_field` is the one I would like to understand first.",
    },
  ],
};

/** The first verified maintainer of a package (the demo's voice for the maintainers). */
async function maintainerOf(db: Database, packageId: number) {
  const row = await db
    .select({ id: packageMaintainers.userId })
    .from(packageMaintainers)
    .where(and(eq(packageMaintainers.packageId, packageId), sql`${packageMaintainers.verifiedAt} IS NOT NULL`))
    .orderBy(packageMaintainers.id)
    .get();
  return row?.id ?? null;
}

async function addThread(
  db: Database,
  now: number,
  subject: { type: "interest" | "transfer"; id: number; title: string },
  lines: Line[],
  people: Record<Line["who"], number | null>,
) {
  const created = now - Math.max(...lines.map((l) => l.hoursAgo)) * HOUR - HOUR;
  const last = now - Math.min(...lines.map((l) => l.hoursAgo)) * HOUR;
  const [thread] = await db
    .insert(threads)
    .values({
      subjectType: subject.type,
      subjectId: subject.id,
      createdAt: created,
      lastMessageAt: last,
      updatedAt: last,
    })
    .onConflictDoNothing()
    .returning({ id: threads.id });
  if (!thread) return;
  const rows = lines
    .filter((l) => people[l.who] !== null)
    .map((l) => ({ threadId: thread.id, authorId: people[l.who]!, body: l.body, createdAt: now - l.hoursAgo * HOUR }));
  const inserted = await db.insert(messages).values(rows).returning({ id: messages.id, authorId: messages.authorId });
  // Everyone in it read all but the newest message, and has it in their inbox.
  const newest = inserted.at(-1)!;
  const readers = [...new Set(Object.values(people).filter((id): id is number => id !== null))];
  await db
    .insert(threadStates)
    .values(
      readers.map((userId) => ({ threadId: thread.id, userId, lastReadAt: now - (lines.at(-1)!.hoursAgo + 1) * HOUR })),
    )
    .onConflictDoNothing();
  const recipients = readers.filter((id) => id !== newest.authorId);
  if (recipients.length) {
    await db
      .insert(notifications)
      .values(
        recipients.map((userId) => ({
          userId,
          kind: "message",
          title: `New message on ${subject.title}`,
          href: `/threads/${thread.id}#message-${newest.id}`,
          threadId: thread.id,
          key: `message:${newest.id}`,
          createdAt: last,
        })),
      )
      .onConflictDoNothing();
  }
}

export async function seedConversations(db: Database, now: number): Promise<void> {
  // The handover first: it is thread 1.
  const transfer = await db
    .select({
      id: transfers.id,
      successor: transfers.successorUserId,
      roadie: transfers.roadieUserId,
      packageId: calls.packageId,
      name: packages.name,
    })
    .from(transfers)
    .innerJoin(calls, eq(calls.id, transfers.callId))
    .innerJoin(packages, eq(packages.id, calls.packageId))
    .where(eq(packages.name, "django-dbtemplates"))
    .get();
  if (transfer) {
    await addThread(
      db,
      now,
      { type: "transfer", id: transfer.id, title: `the handover of ${transfer.name}` },
      transferLines,
      {
        maintainer: await maintainerOf(db, transfer.packageId),
        other: transfer.successor,
        roadie: transfer.roadie,
      },
    );
  }
  const accepted = await db
    .select({
      id: callInterests.id,
      volunteer: callInterests.userId,
      title: calls.title,
      packageId: calls.packageId,
      name: packages.name,
    })
    .from(callInterests)
    .innerJoin(calls, eq(calls.id, callInterests.callId))
    .innerJoin(packages, eq(packages.id, calls.packageId))
    .innerJoin(users, eq(users.id, callInterests.userId))
    .where(and(eq(callInterests.status, "accepted"), inArray(packages.name, Object.keys(interestLines))))
    .orderBy(callInterests.id)
    .all();
  for (const a of accepted) {
    await addThread(db, now, { type: "interest", id: a.id, title: `“${a.title}”` }, interestLines[a.name]!, {
      maintainer: await maintainerOf(db, a.packageId),
      other: a.volunteer,
      roadie: null,
    });
  }
  // Every other open subject the areas seeded (requests, applications, offers, handovers) has its
  // conversation, still empty, as the app makes one when a subject begins.
  await makeMissingThreads(db, now);
}
