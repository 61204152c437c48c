// Forms that do not surprise (issue 17, "forms"): text over a limit is refused with the count and
// kept (never cut), minimum lengths are said before anyone fails, a refusal because the object
// changed shows its current state, withdrawing asks first and explains itself afterwards, and a
// signed-out person following a link to a page that needs sign-in is asked to sign in, while a
// signed-in person who may not see it still gets 404.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { renderPage, textOf } from "#tests/support/render-route.tsx";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const callPage = await import("#app/routes/calls.$id.tsx");
const manage = await import("#app/routes/calls.$id_.manage.tsx");
const roadieApply = await import("#app/routes/roadies.apply.tsx");
const myApplications = await import("#app/routes/me.applications.tsx");
const programApply = await import("#app/routes/programs.$slug.apply.tsx");
const requestPage = await import("#app/routes/requests.$id.tsx");
const { revalidateAfterConflict } = await import("#app/utils/revalidate.ts");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { expressInterest, getMyInterest, withdrawInterest } = await import("#app/models/calls/interests.server.ts");
const { createProgram } = await import("#app/models/programs/programs.server.ts");
const { saveApplication, flushApplicationEmails } = await import("#app/models/programs/applications.server.ts");
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");

const page = (html: string | Response) => {
  if (html instanceof Response)
    throw new Error(`expected a page, got a ${html.status} to ${html.headers.get("location")}`);
  return html;
};

describe("text over a limit", () => {
  useFreshDatabase();

  test("an interest message over 2,000 characters is refused with its count, saved nowhere, and shown again in full", async () => {
    const maintainer = await makeUser("limit-maintainer");
    const volunteer = await makeUser("limit-volunteer");
    const pkg = await makePackage("django-limit-words", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const message = `I can help. ${"x".repeat(2488)}`; // 2,500 characters
    const html = page(
      await renderPage(
        callPage,
        "/calls/:id",
        request(`/calls/${call.id}`, { cookie: await cookieFor(volunteer.id), form: { intent: "interest", message } }),
      ),
    );
    expect(textOf(html)).toContain("At most 2,000 characters: this has 2,500. Shorten it by 500.");
    expect(html).toContain(message); // kept in the textarea, not cut to 2,000
    expect(html).not.toMatch(/maxlength/i); // no browser-side cut either
    expect(await getMyInterest(call.id, volunteer.id)).toBeUndefined();
  });

  test("a line break counts once, as the person sees it: 2,000 characters with CRLF line breaks are accepted", async () => {
    const maintainer = await makeUser("crlf-maintainer");
    const volunteer = await makeUser("crlf-volunteer");
    const pkg = await makePackage("django-crlf-words", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const message = `${"line of text\r\n".repeat(100)}${"y".repeat(2000 - 1300)}`; // 1,300 + 700 seen
    const accepted = await run(async () =>
      callPage.action({
        request: request(`/calls/${call.id}`, { cookie: await cookieFor(volunteer.id), form: { message } }),
        params: { id: String(call.id) },
        context,
      }),
    );
    expect(accepted.location).toBe(`/calls/${call.id}?interested=1`);
    expect((await getMyInterest(call.id, volunteer.id))?.message).toHaveLength(2000);
  });

  test("the limits are said up front: the roadie application states its 40-character minimum before anyone fails", async () => {
    const person = await makeUser("hint-volunteer", { githubCreatedAt: Date.now() - 400 * 86_400_000 });
    const text = textOf(
      page(
        await renderPage(
          roadieApply,
          "/roadies/apply",
          request("/roadies/apply", { cookie: await cookieFor(person.id) }),
        ),
      ),
    );
    expect(text).toContain("40 to 4,000 characters.");
    const tooShort = page(
      await renderPage(
        roadieApply,
        "/roadies/apply",
        request("/roadies/apply", { cookie: await cookieFor(person.id), form: { motivation: "I like Django." } }),
      ),
    );
    expect(textOf(tooShort)).toContain("Write at least 40 characters (now 14).");
    expect(tooShort).toContain("I like Django.");
  });
});

describe("a refusal because the object changed", () => {
  useFreshDatabase();

  test("accepting an interest that was withdrawn meanwhile shows the interests as they are now, with what changed", async () => {
    const maintainer = await makeUser("stale-maintainer");
    const volunteer = await makeUser("stale-volunteer");
    const pkg = await makePackage("django-stale-state", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const expressed = await expressInterest(volunteer, (await getCall(call.id))!, {
      message: "I would like to help with releases.",
      shareEmail: false,
    });
    if (!expressed.ok) throw new Error("interest not saved");
    const interest = (await getMyInterest(call.id, volunteer.id))!;
    await withdrawInterest(volunteer.id, call.id); // after the maintainer's page was loaded
    const html = page(
      await renderPage(
        manage,
        "/calls/:id/manage",
        request(`/calls/${call.id}/manage`, {
          cookie: await cookieFor(maintainer.id),
          form: { intent: "accept", interestId: String(interest.id) },
        }),
      ),
    );
    const text = textOf(html);
    expect(text).toContain("That interest was already answered or withdrawn.");
    expect(text).not.toContain("Accept @stale-volunteer"); // the old button is gone
  });

  test("with JavaScript too: every route whose action answers 409 loads its page again after that answer", async () => {
    // Pages (.tsx); resource routes (.ts) have no page to show again.
    const routes = readdirSync("app/routes").filter(
      (f) => f.endsWith(".tsx") && /status: 409|, 409\]/.test(readFileSync(`app/routes/${f}`, "utf8")),
    );
    expect(routes.length).toBeGreaterThan(5);
    for (const file of routes) {
      const mod = (await import(`#app/routes/${file}`)) as { shouldRevalidate?: unknown };
      expect(mod.shouldRevalidate, file).toBe(revalidateAfterConflict);
    }
    const args = { defaultShouldRevalidate: false } as Parameters<typeof revalidateAfterConflict>[0];
    expect(revalidateAfterConflict({ ...args, actionStatus: 409 })).toBe(true);
    expect(revalidateAfterConflict({ ...args, actionStatus: 400 })).toBe(false);
  });
});

describe("withdrawing a programme application", () => {
  useFreshDatabase();

  async function submitted(login: string) {
    const person = await makeUser(login);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const program = await createProgram(
      {
        slug: `withdraw-${login}`,
        name: "Withdrawal Space",
        organisation: "Djangonaut Space",
        description: "A test programme.",
        seasonStart: day(30),
        seasonEnd: day(90),
        opensOn: day(-2),
        closesOn: day(10),
        windowTimezone: "UTC",
        roles: [
          { name: "Djangonaut", capacity: 2 },
          { name: "Navigator", capacity: 1 },
        ],
        organiserLogins: [],
        rubric: [{ label: "Motivation", weight: 1 }],
      },
      null,
    );
    const saved = await saveApplication(
      program,
      program.roles[0]!.id,
      person.id,
      { answers: {}, projectRanking: [], timezone: null, availableFrom: null, availableTo: null },
      { submit: true },
    );
    await flushApplicationEmails();
    if (!saved.ok) throw new Error(JSON.stringify(saved.problems));
    return { person, program, application: saved.application, cookie: await cookieFor(person.id) };
  }
  const statusOf = async (id: number) =>
    (await db().select().from(schema.applications).where(eq(schema.applications.id, id)).get())!.status;

  test("one click withdraws nothing: it opens a confirmation that says what will happen", async () => {
    const { application, program, cookie } = await submitted("withdraw-asks");
    for (const [module, path, form] of [
      [myApplications, "/me/applications", { applicationId: String(application.id) }],
      [programApply, `/programs/${program.slug}/apply`, { intent: "withdraw", roleId: String(application.roleId) }],
    ] as const) {
      const result = await run(() =>
        module.action({ request: request(path, { cookie, form }), params: { slug: program.slug }, context }),
      );
      expect(result.location).toBe(`/me/applications?withdraw=${application.id}#confirm-withdraw`);
      expect(await statusOf(application.id)).toBe("submitted");
    }
    const text = textOf(
      page(
        await renderPage(
          myApplications,
          "/me/applications",
          request(`/me/applications?withdraw=${application.id}`, { cookie }),
        ),
      ),
    );
    expect(text).toContain("Withdraw your application to Withdrawal Space (Djangonaut)?");
    expect(text).toContain("This cannot be undone.");
    expect(text).toContain("Yes, withdraw my application");
  });

  test("confirmed, it withdraws, and the pages say when and what is still possible instead of a greyed-out form alone", async () => {
    const { application, program, cookie } = await submitted("withdraw-explains");
    const result = await run(() =>
      myApplications.action({
        request: request("/me/applications", {
          cookie,
          form: { applicationId: String(application.id), confirm: "yes" },
        }),
        params: {},
        context,
      }),
    );
    expect(result.location).toBe(`/me/applications?withdrawn=${application.id}`);
    expect(await statusOf(application.id)).toBe("withdrawn");
    const list = textOf(
      page(
        await renderPage(
          myApplications,
          "/me/applications",
          request(`/me/applications?withdrawn=${application.id}`, { cookie }),
        ),
      ),
    );
    expect(list).toContain("You withdrew your application to Withdrawal Space (Djangonaut).");
    expect(list).toContain("A withdrawn application cannot be reopened or sent again.");
    expect(list).toMatch(/Withdrawn on \d/);
    const form = textOf(
      page(
        await renderPage(
          programApply,
          "/programs/:slug/apply",
          request(`/programs/${program.slug}/apply?role=${application.roleId}`, { cookie }),
        ),
      ),
    );
    expect(form).toMatch(/You withdrew this application on \d.*, so it can no longer be changed or sent again\./);
    expect(form).toContain("You can still apply in another role until");
  });
});

describe("a page that needs sign-in", () => {
  useFreshDatabase();

  test("a signed-out expert following a link to a confidential request is asked to sign in and brought back; an outsider signed in gets 404", async () => {
    const maintainer = await makeUser("confidential-maintainer");
    const outsider = await makeUser("confidential-outsider");
    const pkg = await makePackage("django-confidential-link", [maintainer]);
    const now = Date.now();
    const [row] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "security",
        title: "A report nobody else may see",
        details: "Details.",
        severity: "high",
        confidential: true,
        filedByUserId: maintainer.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const load = (id: string, cookie?: string) =>
      run(() => requestPage.loader({ request: request(`/requests/${id}`, { cookie }), params: { id }, context }));
    const signedOut = await load(String(row!.id));
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toBe(`/login?next=${encodeURIComponent(`/requests/${row!.id}`)}`);
    // A missing id takes the same path: a signed-out probe learns nothing.
    expect((await load("987654")).location).toBe(`/login?next=${encodeURIComponent("/requests/987654")}`);
    expect((await load(String(row!.id), await cookieFor(outsider.id))).status).toBe(404);
    expect((await load(String(row!.id), await cookieFor(maintainer.id))).status).toBe(200);
  });
});

describe("no silent cut anywhere", () => {
  test("no control in the app has a maxLength attribute, which browsers use to cut pasted text without a word", () => {
    const files = readdirSync("app", { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".tsx"));
    const offenders = files.filter((f) => /\bmaxLength=\{/.test(readFileSync(`app/${f}`, "utf8")));
    expect(offenders).toEqual([]);
  });
});
