// What people read on pages that used to show stored codes or contradict themselves: a call's history
// in words, the notification settings after a refused save (no "saved" next to the error), a pause
// that ends in the past, and the organisers' preview of decision emails (each email in full, with
// the true numbers of applications and places).
import { describe, expect, test } from "vitest";
import { APP, request } from "#tests/support/routes.ts";
import { cookieFor, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { renderPage, textOf } from "#tests/support/render-route.tsx";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const manage = await import("#app/routes/calls.$id_.manage.tsx");
const notifications = await import("#app/routes/settings.notifications.tsx");
const decisionsPage = await import("#app/routes/programs.$slug.decisions.tsx");
const callsIndex = await import("#app/routes/calls._index.tsx");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { expressInterest } = await import("#app/models/calls/interests.server.ts");
const { getPreferences } = await import("#app/models/digest/digest.server.ts");
const { createProgram } = await import("#app/models/programs/programs.server.ts");
const { setDecision } = await import("#app/models/programs/decisions.server.ts");
const { db, schema } = await import("#app/utils/db.server.ts");

const html = (page: string | Response) => {
  if (page instanceof Response)
    throw new Error(`expected a page, got a ${page.status} to ${page.headers.get("location")}`);
  return textOf(page);
};

describe("a call's history", () => {
  useFreshDatabase();

  test("is told in words: the status change reads 'from Open to In conversation', never the stored codes", async () => {
    const maintainer = await makeUser("history-maintainer");
    const volunteer = await makeUser("history-volunteer");
    const pkg = await makePackage("django-history-words", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const interest = await expressInterest(volunteer, (await getCall(call.id))!, {
      message: "I would like to help with releases.",
      shareEmail: false,
    });
    if (!interest.ok) throw new Error(interest.problem);
    const cookie = await cookieFor(maintainer.id);

    const accepted = await renderPage(
      manage,
      "/calls/:id/manage",
      request(`/calls/${call.id}/manage`, {
        cookie,
        form: { intent: "accept", interestId: String(interest.interestId) },
      }),
    );
    expect(accepted instanceof Response && accepted.status).toBe(302);

    const page = html(await renderPage(manage, "/calls/:id/manage", request(`/calls/${call.id}/manage`, { cookie })));
    expect(page).toContain("Status changed from Open to In conversation by @history-maintainer");
    expect(page).toContain("Offer of help accepted by @history-maintainer");
    // The volunteer's interest reads as a word too.
    expect(page).toMatch(/@history-volunteer\)? Accepted/);
    expect(page).not.toMatch(/in_conversation|status_changed|interest_accepted|→/);
  });
});

describe("the list of calls", () => {
  test("offers each order once in its Order list, with or without a search", async () => {
    for (const path of ["/calls", "/calls?q=admin", "/calls?q=admin&sort=newest"]) {
      const page = await renderPage(callsIndex, "/calls", request(path));
      if (page instanceof Response) throw new Error(`${path} redirected`);
      const select = /<select id="calls-sort"[^>]*>(.*?)<\/select>/s.exec(page)?.[1] ?? "";
      const labels = [...select.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => m[1]);
      expect(labels.length, path).toBeGreaterThan(1);
      expect(new Set(labels).size, `${path}: ${labels.join(", ")}`).toBe(labels.length);
    }
  });
});

describe("the notification settings", () => {
  useFreshDatabase();

  test("a refused save shows its error and not the 'Preferences saved' of the save before", async () => {
    const person = await makeUser("prefs-refused");
    const cookie = await cookieFor(person.id);
    const saved = await renderPage(
      notifications,
      "/settings/notifications",
      request("/settings/notifications", {
        cookie,
        form: { frequency: "weekly", sections: ["calls"], dayOfWeek: "2" },
      }),
    );
    expect(saved instanceof Response && saved.headers.get("location")).toBe("/settings/notifications?saved=1");
    // The page the redirect leads to thanks the person…
    const after = html(
      await renderPage(
        notifications,
        "/settings/notifications",
        request("/settings/notifications?saved=1", { cookie }),
      ),
    );
    expect(after).toContain("Preferences saved.");

    // …and the next form posts back to that address: a refused save there must not thank them again.
    const refused = html(
      await renderPage(
        notifications,
        "/settings/notifications",
        request("/settings/notifications?saved=1", { cookie, form: { frequency: "weekly", dayOfWeek: "2" } }),
      ),
    );
    expect(refused).toContain("Choose at least one section, or turn the digest off.");
    expect(refused).not.toContain("Preferences saved");
  });

  test("a pause that ends on a day already over is refused next to the field, and nothing is saved", async () => {
    const person = await makeUser("prefs-past-pause");
    const cookie = await cookieFor(person.id);
    const before = await getPreferences(person.id);
    const refused = await renderPage(
      notifications,
      "/settings/notifications",
      request("/settings/notifications", {
        cookie,
        form: { frequency: "monthly", pausedUntil: "2020-01-31", sections: ["calls"], dayOfWeek: "3" },
      }),
    );
    if (refused instanceof Response) throw new Error("a pause in the past was accepted");
    expect(refused).toMatch(
      /<input[^>]*name="pausedUntil"[^>]*aria-invalid="true"[^>]*>|aria-invalid="true"[^>]*name="pausedUntil"/,
    );
    expect(textOf(refused)).toContain("This day has already passed: choose today or a later day.");
    expect(await getPreferences(person.id)).toEqual(before);

    // Today (where it is earliest on Earth) and later days are fine.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const accepted = await renderPage(
      notifications,
      "/settings/notifications",
      request("/settings/notifications", {
        cookie,
        form: { frequency: "monthly", pausedUntil: tomorrow, sections: ["calls"], dayOfWeek: "3" },
      }),
    );
    expect(accepted instanceof Response && accepted.status).toBe(302);
    expect((await getPreferences(person.id)).pausedUntil).toBe(tomorrow);
  });
});

describe("the decisions preview", () => {
  useFreshDatabase();

  async function programmeWithDecisions(places: number, applicants: number) {
    const organiser = await makeUser(`org-${places}-${applicants}`);
    const program = await createProgram(
      {
        slug: `words-${places}-${applicants}`,
        name: `Words Session ${places}`,
        organisation: "Djangonaut Space",
        description: "A test programme.",
        seasonStart: "2027-02-01",
        seasonEnd: "2027-03-31",
        opensOn: "2027-01-10",
        closesOn: "2027-01-20",
        windowTimezone: "AoE",
        roles: [{ name: "Djangonaut", capacity: places }],
        organiserLogins: [organiser.login],
        rubric: [{ label: "Motivation", weight: 1 }],
      },
      null,
    );
    const ids: number[] = [];
    for (let n = 0; n < applicants; n++) {
      const person = await makeUser(`applicant-${places}-${applicants}-${n}`, { name: `Person ${n}` });
      const [row] = await db()
        .insert(schema.applications)
        .values({
          programId: program.id,
          roleId: program.roles[0]!.id,
          userId: person.id,
          status: "submitted",
          submittedAt: Date.now(),
          createdAt: Date.now(),
          updatedAt: Date.now(),
        })
        .returning();
      ids.push(row!.id);
    }
    return { organiser, program, ids };
  }

  test("shows each email's full text as it will be sent, claiming competition only when there was some", async () => {
    // 7 applications for 22 places: a rejection says nothing about "more applications than places".
    const roomy = await programmeWithDecisions(22, 7);
    await setDecision(roomy.program.id, roomy.ids[0]!, "rejected", roomy.organiser.id);
    await setDecision(roomy.program.id, roomy.ids[1]!, "accepted", roomy.organiser.id);
    const cookie = await cookieFor(roomy.organiser.id);
    const page = html(
      await renderPage(
        decisionsPage,
        "/programs/:slug/decisions",
        request(`/programs/${roomy.program.slug}/decisions`, { cookie }),
      ),
    );
    expect(page).toContain("The emails, as they will be sent");
    expect(page).toContain("Subject: Your application to Words Session 22");
    expect(page).toContain(
      "We could not offer you a place as a Djangonaut in Words Session 22 this time. Please consider applying again to a future session.",
    );
    expect(page).toContain("Hello Person 0,");
    expect(page).toContain("Subject: You have a place in Words Session 22");
    expect(page).toContain("we are delighted to offer you a place in Words Session 22 as a Djangonaut");
    expect(page).not.toMatch(/more applications than places|applications for \d+ places/);

    // 5 applications for 2 places: the numbers are said, and they are the true ones.
    const crowded = await programmeWithDecisions(2, 5);
    await setDecision(crowded.program.id, crowded.ids[4]!, "rejected", crowded.organiser.id);
    await setDecision(crowded.program.id, crowded.ids[3]!, "waitlisted", crowded.organiser.id);
    const crowdedPage = html(
      await renderPage(
        decisionsPage,
        "/programs/:slug/decisions",
        request(`/programs/${crowded.program.slug}/decisions`, { cookie: await cookieFor(crowded.organiser.id) }),
      ),
    );
    expect(crowdedPage).toContain(
      "this time. We received 5 applications for 2 places. Please consider applying again to a future session.",
    );
    expect(crowdedPage).toContain(
      "We received 5 applications for 2 places. You are on the waitlist for a place as a Djangonaut in Words Session 2",
    );
    // Decisions read as words in the table, not as stored codes.
    expect(crowdedPage).toMatch(/Djangonaut Not selected/);
    expect(crowdedPage).toMatch(/Djangonaut Waitlisted/);
  });
});
