// The working group's meetings: who may schedule and change them, times entered in a zone and kept in
// UTC, notes kept from outsiders when internal (on the pages and in the feed), and the meetings in
// /calendar.ics as a calendar app reads them (ical.js): a stable UID, SEQUENCE and LAST-MODIFIED that
// move with each change, times in UTC, cancellation, escaping and folding.
import { describe, expect, test } from "vitest";
import ICAL from "ical.js";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { makeAdmin, makeUser, cookieFor } = await import("#tests/support/factories.ts");
const newRoute = await import("#app/routes/meetings.new.tsx");
const editRoute = await import("#app/routes/meetings.$id_.edit.tsx");
const pageRoute = await import("#app/routes/meetings.$id.tsx");
const indexRoute = await import("#app/routes/meetings._index.tsx");
const icsRoute = await import("#app/routes/calendar[.]ics.ts");
const calendarRoute = await import("#app/routes/calendar.tsx");

const DAY = 86_400_000;
/** A day far enough ahead that the meeting is upcoming whenever the suite runs. */
const future = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

type Form = Record<string, string>;

async function schedule(cookie: string, form: Partial<Form> = {}) {
  return run(() =>
    newRoute.action({
      request: request("/meetings/new", {
        cookie,
        form: {
          title: "Monthly meeting",
          day: future(30),
          time: "16:00",
          timeZone: "UTC",
          durationMinutes: "60",
          videoUrl: "https://meet.example.org/wg",
          agenda: "- Welcome\n- Guides",
          ...form,
        },
      }),
      params: {},
      context,
    }),
  );
}

async function scheduled(cookie: string, form: Partial<Form> = {}) {
  const result = await schedule(cookie, form);
  expect(result.status).toBe(302);
  const id = Number(/\/meetings\/(\d+)/.exec(result.location!)![1]);
  return (await db().select().from(schema.meetings).where(eq(schema.meetings.id, id)).get())!;
}

async function edit(cookie: string, id: number, form: Form) {
  return run(() =>
    editRoute.action({
      request: request(`/meetings/${id}/edit`, { cookie, form }),
      params: { id: String(id) },
      context,
    }),
  );
}

const detailsOf = (m: typeof schema.meetings.$inferSelect, changes: Partial<Form> = {}): Form => ({
  intent: "details",
  version: String(m.updatedAt),
  title: m.title,
  day: new Date(m.startsAt).toISOString().slice(0, 10),
  time: new Date(m.startsAt).toISOString().slice(11, 16),
  timeZone: "UTC",
  durationMinutes: String(m.durationMinutes),
  videoUrl: m.videoUrl ?? "",
  agenda: m.agenda,
  ...changes,
});

async function page(id: number, cookie?: string) {
  const result = await run(() =>
    pageRoute.loader({ request: request(`/meetings/${id}`, { cookie }), params: { id: String(id) }, context }),
  );
  return result.value as Awaited<ReturnType<typeof pageRoute.loader>>;
}

async function feed(query = "?only=meetings", cookie?: string) {
  const response = (await icsRoute.loader({
    request: request(`/calendar.ics${query}`, { cookie }),
    params: {},
    context,
  })) as Response;
  return response.text();
}

function events(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents("vevent").map((v) => {
    const event = new ICAL.Event(v);
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      location: event.location,
      sequence: event.sequence,
      start: event.startDate.toJSDate().getTime(),
      end: event.endDate.toJSDate().getTime(),
      startZone: event.startDate.zone?.tzid,
      status: String(v.getFirstPropertyValue("status")),
      url: String(v.getFirstPropertyValue("url")),
      lastModified: (v.getFirstPropertyValue("last-modified") as ICAL.Time | null)?.toJSDate().getTime(),
      stamp: (v.getFirstPropertyValue("dtstamp") as ICAL.Time).toJSDate().getTime(),
    };
  });
}

/** A working-group member with no admin flag: the membership alone is the power. */
async function member(login: string, termEndsAt = Date.now() + 365 * DAY) {
  const user = await makeUser(login);
  await db()
    .insert(schema.memberships)
    .values({ userId: user.id, role: "working_group", status: "active", startedAt: 0, termEndsAt });
  return user;
}

describe("who may schedule and change meetings", () => {
  useFreshDatabase();

  test("a working-group member (without the admin flag) schedules one; everyone else is refused and nothing is stored", async () => {
    const wg = await member("mt-member");
    const volunteer = await makeUser("mt-volunteer");
    const roadie = await makeUser("mt-roadie");
    await db()
      .insert(schema.memberships)
      .values({ userId: roadie.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + DAY });

    expect((await schedule(await cookieFor(volunteer.id))).status).toBe(403);
    expect((await schedule(await cookieFor(roadie.id))).status).toBe(403);
    const anonymous = await run(() =>
      newRoute.action({ request: request("/meetings/new", { form: { title: "x" } }), params: {}, context }),
    );
    expect(anonymous.location).toMatch(/^\/login\?next=/);
    expect(await db().select().from(schema.meetings).all()).toHaveLength(0);

    const meeting = await scheduled(await cookieFor(wg.id));
    expect(meeting.createdByUserId).toBe(wg.id);
    // Outsiders cannot edit it either, whatever they post.
    const before = JSON.stringify(meeting);
    for (const who of [volunteer, roadie]) {
      const refused = await edit(await cookieFor(who.id), meeting.id, detailsOf(meeting, { title: "Hijacked" }));
      expect(refused.status).toBe(403);
      const cancel = await edit(await cookieFor(who.id), meeting.id, {
        intent: "cancel",
        version: String(meeting.updatedAt),
      });
      expect(cancel.status).toBe(403);
    }
    const after = await db().select().from(schema.meetings).where(eq(schema.meetings.id, meeting.id)).get();
    expect(JSON.stringify(after)).toBe(before);
  });

  test("one record per intent: four concurrent identical submissions make one meeting and all land on it", async () => {
    const cookie = await cookieFor((await makeAdmin("mt-double")).id);
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => schedule(cookie, { title: "Double-clicked meeting", day: future(40) })),
    );
    const made = await db().select().from(schema.meetings).where(eq(schema.meetings.title, "Double-clicked meeting"));
    expect(made).toHaveLength(1);
    expect(results.map((r) => r.location)).toEqual(Array(4).fill(`/meetings/${made[0]!.id}?saved=created`));
    const audit = await db().select().from(schema.auditLog).where(eq(schema.auditLog.action, "meeting.create"));
    expect(audit.filter((a) => a.objectId === String(made[0]!.id))).toHaveLength(1);
  });

  test("the power ends with the working-group stint", async () => {
    const former = await member("mt-former", Date.now() - DAY);
    expect((await schedule(await cookieFor(former.id))).status).toBe(403);
  });

  test("the video link must be https", async () => {
    const wg = await makeAdmin("mt-https");
    const refused = await schedule(await cookieFor(wg.id), { videoUrl: "http://meet.example.org/wg" });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.value)).toMatch(/https:\/\//);
    const script = await schedule(await cookieFor(wg.id), { videoUrl: "javascript:alert(1)" });
    expect(script.status).toBe(400);
  });

  test("a save over someone else's newer save is refused with 409 and changes nothing", async () => {
    const wg = await makeAdmin("mt-conflict");
    const cookie = await cookieFor(wg.id);
    const meeting = await scheduled(cookie);
    const stale = detailsOf(meeting, { title: "First save" });
    expect((await edit(cookie, meeting.id, stale)).status).toBe(302);
    const second = await edit(cookie, meeting.id, { ...stale, title: "Second save from an old page" });
    expect(second.status).toBe(409);
    expect(editRoute.shouldRevalidate).toBeDefined();
    const now = await db().select().from(schema.meetings).where(eq(schema.meetings.id, meeting.id)).get();
    expect(now!.title).toBe("First save");
  });
});

describe("times entered in a zone are stored in UTC", () => {
  useFreshDatabase();

  test("11:00 in New York is 16:00 UTC in winter and 15:00 UTC in summer; the edit form shows the entered zone", async () => {
    const cookie = await cookieFor((await makeAdmin("mt-zones")).id);
    const winter = await scheduled(cookie, { day: "2027-01-14", time: "11:00", timeZone: "America/New_York" });
    expect(new Date(winter.startsAt).toISOString()).toBe("2027-01-14T16:00:00.000Z");
    const summer = await scheduled(cookie, { day: "2027-07-15", time: "11:00", timeZone: "America/New_York" });
    expect(new Date(summer.startsAt).toISOString()).toBe("2027-07-15T15:00:00.000Z");
    // Across midnight: 09:30 in Auckland on the 15th is the 14th in UTC.
    const auckland = await scheduled(cookie, { day: "2027-01-15", time: "09:30", timeZone: "Pacific/Auckland" });
    expect(new Date(auckland.startsAt).toISOString()).toBe("2027-01-14T20:30:00.000Z");

    const form = await run(() =>
      editRoute.loader({
        request: request(`/meetings/${winter.id}/edit`, { cookie }),
        params: { id: String(winter.id) },
        context,
      }),
    );
    const value = form.value as Awaited<ReturnType<typeof editRoute.loader>>;
    expect(value.details).toMatchObject({ day: "2027-01-14", time: "11:00", timeZone: "America/New_York" });
  });
});

describe("notes", () => {
  useFreshDatabase();

  test("internal notes are shown to the working group only: not on the page, the list or in the feed", async () => {
    const wg = await makeAdmin("mt-notes-wg");
    const wgCookie = await cookieFor(wg.id);
    const volunteer = await cookieFor((await makeUser("mt-notes-volunteer")).id);
    const meeting = await scheduled(wgCookie, { day: "2026-01-08", title: "Past meeting" });
    const saved = await edit(wgCookie, meeting.id, {
      intent: "notes",
      version: String(meeting.updatedAt),
      notes: "Discussed SECRET-APPLICANT-NAME at length.",
      notesInternal: "on",
    });
    expect(saved.status).toBe(302);

    for (const cookie of [undefined, volunteer]) {
      const seen = await page(meeting.id, cookie);
      expect(seen.notesHtml).toBeNull();
      expect(seen.meeting.notesHidden).toBe(true);
      expect(JSON.stringify(seen)).not.toContain("SECRET-APPLICANT-NAME");
      const list = await run(() =>
        indexRoute.loader({ request: request("/meetings", { cookie }), params: {}, context }),
      );
      expect(JSON.stringify(list.value)).not.toContain("SECRET-APPLICANT-NAME");
    }
    const member = await page(meeting.id, wgCookie);
    expect(member.notesHtml).toContain("SECRET-APPLICANT-NAME");
    // The feed carries agendas, never notes, whoever asks for it.
    expect(await feed("", wgCookie)).not.toContain("SECRET-APPLICANT-NAME");
    expect(await feed("?only=meetings", wgCookie)).not.toContain("SECRET");
  });

  test("public notes are on the page for everyone, as safe HTML, and still not in the feed", async () => {
    const wgCookie = await cookieFor((await makeAdmin("mt-public-notes")).id);
    const meeting = await scheduled(wgCookie, { day: "2026-02-12" });
    await edit(wgCookie, meeting.id, {
      intent: "notes",
      version: String(meeting.updatedAt),
      notes: "## Decisions\n- Adopt the PUBLIC-DECISION <script>alert(1)</script>",
    });
    const seen = await page(meeting.id);
    expect(seen.notesHtml).toContain("<h2>Decisions</h2>");
    expect(seen.notesHtml).toContain("PUBLIC-DECISION");
    expect(seen.notesHtml).not.toContain("<script>");
    expect(await feed()).not.toContain("PUBLIC-DECISION");
  });
});

describe("meetings in /calendar.ics, read by ical.js", () => {
  useFreshDatabase();

  test("a meeting is a timed UTC event with its page, its link, and its agenda as plain text", async () => {
    const cookie = await cookieFor((await makeAdmin("mt-ics")).id);
    const title = "Monthly meeting; guides, calendar \\ and a deliberately long title that must be folded";
    const meeting = await scheduled(cookie, {
      title,
      day: "2027-03-11",
      time: "16:30",
      durationMinutes: "90",
      agenda: "- Welcome, *everyone*\n- [The guides](https://example.org/guides); review\n\nAny other business",
    });
    const text = await feed();
    for (const line of text.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    const [event] = events(text);
    expect(event).toMatchObject({
      uid: meeting.uid,
      summary: title,
      start: Date.parse("2027-03-11T16:30:00Z"),
      end: Date.parse("2027-03-11T18:00:00Z"),
      startZone: "UTC",
      status: "CONFIRMED",
      sequence: 0,
      url: `${APP}/meetings/${meeting.id}`,
      location: "https://meet.example.org/wg",
    });
    expect(event!.description).toBe(
      "Agenda:\n- Welcome, everyone\n- The guides; review\n\nAny other business\n\nJoin the call: https://meet.example.org/wg",
    );
    expect(text).toContain("DTSTART:20270311T163000Z");
  });

  test("moving a meeting keeps its UID and raises SEQUENCE and LAST-MODIFIED; cancelling marks it CANCELLED", async () => {
    const cookie = await cookieFor((await makeAdmin("mt-move")).id);
    const meeting = await scheduled(cookie, { day: "2027-04-08", time: "16:00", title: "To be moved" });
    const find = async () => events(await feed()).find((e) => e.summary.includes("To be moved"))!;
    const first = await find();
    expect(first.uid).toBe(meeting.uid);

    // Moved an hour later, entered in Paris time (summer: UTC+2).
    const moved = await edit(cookie, meeting.id, detailsOf(meeting, { time: "19:00", timeZone: "Europe/Paris" }));
    expect(moved.status).toBe(302);
    const second = await find();
    expect(second.uid).toBe(first.uid);
    expect(second.start).toBe(Date.parse("2027-04-08T17:00:00Z"));
    expect(second.end).toBe(Date.parse("2027-04-08T18:00:00Z"));
    expect(second.sequence).toBeGreaterThan(first.sequence);
    expect(second.lastModified).toBeGreaterThan(first.lastModified!);
    expect(second.stamp).toBe(second.lastModified);

    // Notes change nothing a calendar shows: no new SEQUENCE.
    const afterMove = (await db().select().from(schema.meetings).where(eq(schema.meetings.id, meeting.id)).get())!;
    await edit(cookie, meeting.id, { intent: "notes", version: String(afterMove.updatedAt), notes: "Draft." });
    expect((await find()).sequence).toBe(second.sequence);

    const current = (await db().select().from(schema.meetings).where(eq(schema.meetings.id, meeting.id)).get())!;
    const cancelled = await edit(cookie, meeting.id, {
      intent: "cancel",
      version: String(current.updatedAt),
      reason: "Too close to the sprint",
    });
    expect(cancelled.status).toBe(302);
    const third = await find();
    expect(third).toMatchObject({ uid: first.uid, status: "CANCELLED" });
    expect(third.sequence).toBeGreaterThan(second.sequence);
    expect(third.description).toContain("Too close to the sprint");
    expect(third.description).not.toContain("Join the call");

    // Put back on: confirmed again, with a still higher SEQUENCE.
    const again = (await db().select().from(schema.meetings).where(eq(schema.meetings.id, meeting.id)).get())!;
    expect((await edit(cookie, meeting.id, { intent: "reinstate", version: String(again.updatedAt) })).status).toBe(
      302,
    );
    const fourth = await find();
    expect(fourth).toMatchObject({ uid: first.uid, status: "CONFIRMED" });
    expect(fourth.sequence).toBeGreaterThan(third.sequence);
  });

  test("?only=meetings has only meetings; the whole feed and the calendar page include them", async () => {
    const cookie = await cookieFor((await makeAdmin("mt-only")).id);
    const meeting = await scheduled(cookie, { day: future(20), title: "Next meeting on the calendar" });
    const only = events(await feed("?only=meetings"));
    expect(only.length).toBeGreaterThan(0);
    expect(only.every((e) => e.uid.startsWith("meeting-"))).toBe(true);
    const all = events(await feed(""));
    expect(all.some((e) => e.uid === meeting.uid)).toBe(true);
    expect(all.some((e) => e.uid.startsWith("django-"))).toBe(true);
    expect(events(await feed("?only=django")).some((e) => e.uid.startsWith("meeting-"))).toBe(false);

    const calendar = await run(() => calendarRoute.loader({ request: request("/calendar"), params: {}, context }));
    const timeline = (calendar.value as Awaited<ReturnType<typeof calendarRoute.loader>>).months.flatMap(
      (m) => m.events,
    );
    const shown = timeline.find((e) => e.uid === meeting.uid);
    expect(shown).toMatchObject({ title: "Next meeting on the calendar", url: `/meetings/${meeting.id}` });
    expect(shown!.startsAt).toBe(meeting.startsAt);
  });
});

describe("the demo", () => {
  useFreshDatabase();

  test("has past meetings with notes (one internal, hidden from visitors) and the next monthly meeting on the calendar", async () => {
    const { seedDemo } = await import("#db/demo.ts");
    expect((await seedDemo(db())).seeded).toBe(true);
    const now = Date.now();
    const all = await db().select().from(schema.meetings).orderBy(schema.meetings.id).all();
    const past = all.filter((m) => m.startsAt < now);
    expect(past).toHaveLength(3);
    expect(past.every((m) => m.notes)).toBe(true);
    expect(past.filter((m) => m.notesInternal)).toHaveLength(1);
    // Meeting 1 (the authorization matrix opens it) is a past one with public notes.
    expect(all[0]!.notesInternal).toBe(false);
    const internal = past.find((m) => m.notesInternal)!;
    expect((await page(internal.id)).notesHtml).toBeNull();

    const upcoming = all.filter((m) => m.startsAt > now);
    expect(upcoming).toHaveLength(1);
    expect(new Date(upcoming[0]!.startsAt).getUTCHours()).toBe(16);
    expect(events(await feed()).map((e) => e.uid)).toContain(upcoming[0]!.uid);
  });
});
