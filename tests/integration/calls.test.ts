// Calls: posting, every authorization rule of the management routes, search and filters (FTS5),
// interests and their emails, outcomes, expiry and renewal with a settable clock, API, feed.
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { signIn, startStandIns } from "./calls-helpers.ts";

const { githubServer, resend } = await startStandIns();
const newCall = await import("#app/routes/calls.new.tsx");
const callPage = await import("#app/routes/calls.$id.tsx");
const editCall = await import("#app/routes/calls.$id_.edit.tsx");
const manageCall = await import("#app/routes/calls.$id_.manage.tsx");
const renewRoute = await import("#app/routes/calls.$id_.renew.tsx");
const callsIndex = await import("#app/routes/calls._index.tsx");
const myInterests = await import("#app/routes/me.interests.tsx");
const apiCalls = await import("#app/routes/api.calls.ts");
const apiCall = await import("#app/routes/api.calls.$id.ts");
const feed = await import("#app/routes/calls[.]atom.ts");
const packagesNew = await import("#app/routes/packages.new.tsx");
// The calls area's modules, read as one (one call, lists, interests, expiry).
const calls = {
  ...(await import("#app/models/calls/calls.server.ts")),
  ...(await import("#app/models/calls/listing.server.ts")),
  ...(await import("#app/models/calls/interests.server.ts")),
  ...(await import("#app/models/calls/expiry.server.ts")),
};
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq, like } = await import("drizzle-orm");

afterAll(async () => {
  await resend.close();
  await githubServer.close();
});

const maya = await signIn("maya"); // admin of acme/django-widgets
const max = await signIn("max"); // maintain on acme/django-second
const stranger = await signIn("stranger");
const volunteer = await signIn("volunteer");
const volunteer2 = await signIn("volunteer2");
const wgadmin = await signIn("wgadmin");
// As the operator's `npm run admin:grant` does: admin rights come with a working-group stint.
await (
  await import("#app/models/people/admins.server.ts")
).grantAdmin((await db().select().from(schema.users).where(eq(schema.users.login, "wgadmin")).get())!.id, null);

for (const [cookie, name, repository] of [
  [maya, "django-widgets", "acme/django-widgets"],
  [max, "django-second", "acme/django-second"],
] as const) {
  const r = await run(() =>
    packagesNew.action({
      request: request("/packages/new", { cookie, form: { name, repository } }),
      params: {},
      context,
    }),
  );
  expect(r.location).toContain("added=1");
}

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function callForm(overrides: Record<string, string | string[]> = {}) {
  return {
    package: "django-widgets",
    kind: "co-maintainer",
    title: "Co-maintainer for widget releases",
    description: "We need someone to help review pull requests and cut releases every few months.",
    skills: ["testing:comfortable", "release-management:learning"],
    hoursPerWeek: "3",
    djangoVersions: ["5.2", "6.0"],
    urgency: "normal",
    expiresOn: iso(Date.now() + 60 * DAY),
    ...overrides,
  };
}

async function post(cookie: string | undefined, overrides: Record<string, string | string[]> = {}, keepLimits = false) {
  // The daily posting limit is tested on its own; elsewhere each post starts with fresh counters.
  if (!keepLimits) await db().delete(schema.rateLimits);
  return run(() =>
    newCall.action({ request: request("/calls/new", { cookie, form: callForm(overrides) }), params: {}, context }),
  );
}

async function postOk(cookie: string, overrides: Record<string, string | string[]> = {}) {
  const r = await post(cookie, overrides);
  expect(r.status, JSON.stringify(r.value)).toBe(302);
  return Number(/\/calls\/(\d+)/.exec(r.location!)![1]);
}

describe("posting a call", () => {
  test("anonymous visitors are sent to sign in and back", async () => {
    const r = await run(() => newCall.loader({ request: request("/calls/new"), params: {}, context }));
    expect(r.location).toBe("/login?next=%2Fcalls%2Fnew");
    expect((await post(undefined)).location).toBe("/login?next=%2Fcalls%2Fnew");
  });

  test("someone who does not maintain the package cannot post for it", async () => {
    const r = await post(stranger);
    expect(r.status).toBe(403);
    expect(JSON.stringify(r.value)).toMatch(/packages you maintain/);
    const r2 = await post(max); // maintains django-second, not django-widgets
    expect(r2.status).toBe(403);
  });

  test("a verified maintainer posts; skills, versions, default expiry and the posted event are kept", async () => {
    const id = await postOk(maya, { expiresOn: "" });
    const call = await calls.getCall(id);
    expect(call).toMatchObject({
      title: "Co-maintainer for widget releases",
      status: "open",
      hoursPerWeek: 3,
      djangoVersions: ["5.2", "6.0"],
    });
    expect(call!.expiresOn).toBe(iso(Date.now() + 90 * DAY));
    expect(call!.skills.map((s) => `${s.skillId}:${s.level}`).sort()).toEqual([
      "release-management:learning",
      "testing:comfortable",
    ]);
    expect((await calls.listCallEvents(id)).map((e) => e.kind)).toEqual(["posted"]);
  });

  test("a working-group admin may post for any package", async () => {
    await postOk(wgadmin, { package: "django-second", title: "Admin-posted call for second" });
  });

  test("bad input: messages next to the fields, input kept, nothing written", async () => {
    const before = (await db().select().from(schema.calls).all()).length;
    const r = await post(maya, {
      title: "Hey",
      skills: [
        "testing:expert",
        "ci:expert",
        "css:expert",
        "i18n:expert",
        "admin:expert",
        "forms:expert",
        "typing:expert",
        "caching:expert",
        "security:expert",
      ],
      expiresOn: iso(Date.now() + 400 * DAY),
      hoursPerWeek: "0",
      kind: "plumbing",
    });
    expect(r.status).toBe(400);
    const reply = r.value as { error: Record<string, string[]>; initialValue: Record<string, unknown> };
    expect(reply.error.title?.[0]).toMatch(/at least 5/);
    expect(reply.error.skills?.[0]).toMatch(/at most 8/);
    expect(reply.error.expiresOn?.[0]).toMatch(/at most a year/);
    expect(reply.error.hoursPerWeek?.[0]).toMatch(/At least 1/);
    expect(reply.error.kind?.[0]).toBeTruthy();
    expect(reply.initialValue.title).toBe("Hey");
    expect((await db().select().from(schema.calls).all()).length).toBe(before);
  });

  test("posting is rate limited per person, with a clear message", async () => {
    await db().delete(schema.rateLimits);
    let last = await post(wgadmin, { package: "django-second", title: "Rate limited call 0" }, true);
    for (let i = 1; i <= 10; i++)
      last = await post(wgadmin, { package: "django-second", title: `Rate limited call ${i}` }, true);
    expect(last.status).toBe(429);
    expect(JSON.stringify(last.value)).toMatch(/many calls today/);
    await db().delete(schema.calls).where(like(schema.calls.title, "Rate limited call%"));
  });

  test("no skills at all is refused", async () => {
    const r = await post(maya, { skills: [] });
    expect((r.value as { error: Record<string, string[]> }).error.skills?.[0]).toMatch(/at least one/);
  });
});

describe("who may manage a call", () => {
  const routes = {
    "edit page": (cookie: string | undefined, id: string) =>
      run(() => editCall.loader({ request: request(`/calls/${id}/edit`, { cookie }), params: { id }, context })),
    "edit action": (cookie: string | undefined, id: string) =>
      run(() =>
        editCall.action({
          request: request(`/calls/${id}/edit`, { cookie, form: callForm({ title: "Edited title here" }) }),
          params: { id },
          context,
        }),
      ),
    "manage page": (cookie: string | undefined, id: string) =>
      run(() => manageCall.loader({ request: request(`/calls/${id}/manage`, { cookie }), params: { id }, context })),
    "manage action": (cookie: string | undefined, id: string) =>
      run(() =>
        manageCall.action({
          request: request(`/calls/${id}/manage`, { cookie, form: { intent: "accept", interestId: "999999" } }),
          params: { id },
          context,
        }),
      ),
  };
  let id = "";
  beforeAll(async () => {
    id = String(await postOk(maya, { title: "Call for authorization checks" }));
  });

  test.each(Object.entries(routes))(
    "%s: anonymous → sign in, others → 404, maintainer and admin → allowed",
    async (_, route) => {
      expect((await route(undefined, id)).status).toBe(302);
      expect((await route(undefined, id)).location).toMatch(/^\/login\?next=/);
      expect((await route(stranger, id)).status).toBe(404);
      expect((await route(max, id)).status).toBe(404); // a maintainer of another package
      expect((await route(volunteer, id)).status).toBe(404);
      expect([200, 302, 409]).toContain((await route(maya, id)).status);
      expect([200, 302, 409]).toContain((await route(wgadmin, id)).status);
      for (const bad of ["abc", "1.5", "-1", "0", "99999999", "1".repeat(40)])
        expect((await route(maya, bad)).status).toBe(404);
    },
  );

  test("the public page: unknown and malformed ids are 404, never 500", async () => {
    for (const bad of ["abc", "0", "99999999", "%00"]) {
      const r = await run(() => callPage.loader({ request: request(`/calls/x`), params: { id: bad }, context }));
      expect(r.status).toBe(404);
    }
  });

  test("editing records an event and changes what people see", async () => {
    const callId = await postOk(maya, { title: "Before the edit" });
    const r = await run(() =>
      editCall.action({
        request: request(`/calls/${callId}/edit`, { cookie: maya, form: callForm({ title: "After the edit" }) }),
        params: { id: String(callId) },
        context,
      }),
    );
    expect(r.location).toBe(`/calls/${callId}`);
    expect((await calls.getCall(callId))!.title).toBe("After the edit");
    expect((await calls.listCallEvents(callId)).map((e) => e.kind)).toEqual(["posted", "edited"]);
  });

  test("end-of-life Django versions are not offered or accepted for a new call; an existing call keeps its own", async () => {
    const page = (
      await run(() => newCall.loader({ request: request("/calls/new", { cookie: maya }), params: {}, context }))
    ).value as { djangoVersions: { version: string }[] };
    const offered = page.djangoVersions.map((v) => v.version);
    for (const ended of ["3.2", "4.0", "4.1"]) expect(offered).not.toContain(ended);
    const refused = await post(maya, { djangoVersions: ["4.1", "5.2"] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.value)).toMatch(/Django 4\.1 is not offered for new calls/);

    // A call posted while 4.1 was supported keeps it through an edit, labelled end of life.
    const callId = await postOk(maya, { title: "Posted in 2023" });
    await db()
      .update(schema.calls)
      .set({ djangoVersions: ["4.1", "5.2"] })
      .where(eq(schema.calls.id, callId));
    const edit = (
      await run(() =>
        editCall.loader({
          request: request(`/calls/${callId}/edit`, { cookie: maya }),
          params: { id: String(callId) },
          context,
        }),
      )
    ).value as { djangoVersions: { version: string; tag: string | null }[] };
    expect(edit.djangoVersions.find((v) => v.version === "4.1")?.tag).toBe("end of life");
    const saved = await run(() =>
      editCall.action({
        request: request(`/calls/${callId}/edit`, {
          cookie: maya,
          form: callForm({ title: "Posted in 2023, edited", djangoVersions: ["4.1", "5.2"] }),
        }),
        params: { id: String(callId) },
        context,
      }),
    );
    expect(saved.location).toBe(`/calls/${callId}`);
    expect((await calls.getCall(callId))!.djangoVersions).toEqual(["4.1", "5.2"]);
  });

  test("hidden calls are 404 to the public and visible to their maintainers", async () => {
    const callId = await postOk(maya, { title: "A call the working group hid" });
    await db()
      .insert(schema.moderationHides)
      .values({ objectType: "call", objectId: String(callId), reason: "spam", createdAt: Date.now() });
    const page = (cookie?: string) =>
      run(() =>
        callPage.loader({ request: request(`/calls/${callId}`, { cookie }), params: { id: String(callId) }, context }),
      );
    expect((await page()).status).toBe(404);
    expect((await page(stranger)).status).toBe(404);
    expect((await page(maya)).status).toBe(200);
    const listed = await calls.listCalls({ q: "working group hid" });
    expect(listed.total).toBe(0);
    const api = await apiCall.loader({
      request: request(`/api/calls/${callId}`),
      params: { id: String(callId) },
      context,
    });
    expect(api.status).toBe(404);
  });
});

describe("finding calls", () => {
  test("FTS ranks a title match above a description match, and matches package names", async () => {
    const inTitle = await postOk(maya, {
      title: "Async views need a maintainer",
      description: "Help us with the new views and tests in general please.",
    });
    const inBody = await postOk(maya, {
      title: "General help wanted here",
      description: "Some of the work touches async code paths and signals.",
    });
    const result = await calls.listCalls({ q: "async" });
    const ids = result.calls.map((c) => c.id);
    expect(ids).toContain(inTitle);
    expect(ids).toContain(inBody);
    expect(ids.indexOf(inTitle)).toBeLessThan(ids.indexOf(inBody));
    expect(result.sort).toBe("relevance");
    const byPackage = await calls.listCalls({ q: "second" });
    expect(byPackage.calls.every((c) => c.packageSlug === "django-second")).toBe(true);
    expect(byPackage.total).toBeGreaterThan(0);
  });

  test("a renamed package's calls are found by its new name, and no longer by the old one", async () => {
    const call = await postOk(max, {
      package: "django-second",
      title: "Triage the issue backlog",
      description: "Label and close old issues.",
    });
    const [pkg] = await db().select().from(schema.packages).where(eq(schema.packages.name, "django-second"));
    const rename = (name: string, normalizedName: string) =>
      db().update(schema.packages).set({ name, normalizedName }).where(eq(schema.packages.id, pkg!.id));
    try {
      await rename("django-quokka", "django-quokka");
      expect((await calls.listCalls({ q: "quokka" })).calls.map((c) => c.id)).toContain(call);
      expect((await calls.listCalls({ q: "second" })).calls.map((c) => c.id)).not.toContain(call);
    } finally {
      await rename(pkg!.name, pkg!.normalizedName);
    }
    expect((await calls.listCalls({ q: "second" })).calls.map((c) => c.id)).toContain(call);
  });

  test("search input with FTS syntax or quotes is harmless", async () => {
    for (const q of ['"unterminated', "NEAR(a b)", "a OR", "*", "title:x", "-", "'; DROP TABLE calls; --"]) {
      const r = await calls.listCalls({ q });
      expect(r.page).toBe(1);
    }
  });

  test("filters: kind, skill, Django version, urgency, package", async () => {
    const special = await postOk(max, {
      package: "django-second",
      kind: "documentation",
      title: "Docs writer for the second package",
      skills: ["documentation:expert"],
      djangoVersions: ["6.1"],
      urgency: "critical",
    });
    const only = async (filter: Parameters<typeof calls.listCalls>[0]) =>
      (await calls.listCalls(filter)).calls.map((c) => c.id);
    expect(await only({ kind: "documentation" })).toEqual([special]);
    expect(await only({ skill: "documentation" })).toEqual([special]);
    expect(await only({ django: "6.1" })).toEqual([special]);
    expect(await only({ urgency: "critical" })).toEqual([special]);
    expect(await only({ package: "django-second", kind: "documentation", q: "docs" })).toEqual([special]);
    expect(await only({ kind: "documentation", skill: "testing" })).toEqual([]);
    // Most urgent first puts the critical call at the top.
    expect((await calls.listCalls({ sort: "urgent" })).calls[0]!.id).toBe(special);
  });

  test("the page's query: unknown values are ignored, never an error", async () => {
    const data = (await callsIndex.loader({
      request: request("/calls?kind=plumbing&skill=%3Cscript%3E&page=-3&sort=random&django=abc&urgency=soon&q=docs"),
      params: {},
      context,
    })) as { query: Record<string, unknown>; total: number };
    expect(data.query).toEqual({ q: "docs" });
    expect(data.total).toBeGreaterThan(0);
  });

  test("20 per page, with pages", async () => {
    for (let i = 0; i < 21; i++)
      await calls.createCall({ id: 1, isAdmin: true }, (await packageId("django-second"))!, {
        kind: "triage-review",
        title: `Bulk triage call number ${i}`,
        description: "Bulk call for pagination tests, triage wanted.",
        skills: [{ skillId: "issue-triage", level: "learning" }],
        hoursPerWeek: 1,
        djangoVersions: [],
        urgency: "low",
        expiresOn: undefined,
      });
    const first = await calls.listCalls({ q: "bulk" });
    expect(first.total).toBe(21);
    expect(first.calls).toHaveLength(20);
    expect(first.pageCount).toBe(2);
    expect((await calls.listCalls({ q: "bulk", page: 2 })).calls).toHaveLength(1);
  });
});

async function packageId(slug: string) {
  return (await db().select().from(schema.packages).where(eq(schema.packages.normalizedName, slug)).get())?.id;
}

describe("interests", () => {
  const express = (callId: number, cookie: string, form: Record<string, string>) =>
    run(() =>
      callPage.action({
        request: request(`/calls/${callId}`, { cookie, form: { intent: "interest", ...form } }),
        params: { id: String(callId) },
        context,
      }),
    );

  /** A call of maya's answered by volunteer (who shares their email) and volunteer2 (who does not). */
  async function answeredCall(title: string) {
    const callId = await postOk(maya, { title });
    const shared = await express(callId, volunteer, {
      message: "I would love to help with releases and reviews.",
      shareEmail: "on",
    });
    expect(shared.status).toBe(302);
    expect((await express(callId, volunteer2, { message: "Count me in, I know the codebase." })).status).toBe(302);
    return callId;
  }

  const decide = (callId: number, intent: string, interestId: number, message?: string) =>
    run(() =>
      manageCall.action({
        request: request(`/calls/${callId}/manage`, {
          cookie: maya,
          form: { intent, interestId: String(interestId), ...(message ? { message } : {}) },
        }),
        params: { id: String(callId) },
        context,
      }),
    );

  test("a volunteer expresses interest; the maintainers are emailed at once, Reply-To only when shared", async () => {
    const callId = await postOk(maya, { title: "Call that gets interest" });
    resend.reset();
    const r = await express(callId, volunteer, {
      message: "I would love to help with releases and reviews.",
      shareEmail: "on",
    });
    expect(r.location).toBe(`/calls/${callId}?interested=1`);
    await vi.waitFor(() => expect(resend.sent().some((m) => m.to.includes("maya@example.org"))).toBe(true));
    const mail = resend.sent().find((m) => m.to.includes("maya@example.org"))!;
    expect(mail.subject).toMatch(/New interest/);
    expect(mail.headers["Reply-To"]).toBe("volunteer@example.org");
    expect(mail.html).toContain("I would love to help");

    resend.reset();
    await express(callId, volunteer2, { message: "Count me in, I know the codebase." });
    await vi.waitFor(() => expect(resend.sent()).toHaveLength(1));
    expect(resend.sent()[0]!.headers["Reply-To"]).toBeUndefined();
    expect(resend.sent()[0]!.html).not.toContain("volunteer2@example.org");
  });

  test("one interest per person; maintainers cannot answer their own call; bad input is kept", async () => {
    const callId = await answeredCall("Call answered once per person");
    expect((await express(callId, volunteer, { message: "Again, please consider me." })).status).toBe(409);
    expect((await express(callId, maya, { message: "My own call, let me in." })).status).toBe(409);
    const bad = await express(callId, stranger, { message: "x".repeat(2001) });
    expect(bad.status).toBe(400);
    expect((bad.value as { error: Record<string, string[]> }).error.message?.[0]).toMatch(/2,000/);
  });

  test("maintainers see interests, emails only when shared", async () => {
    const callId = await answeredCall("Call whose interests the maintainers read");
    const data = (await manageCall.loader({
      request: request(`/calls/${callId}/manage`, { cookie: maya }),
      params: { id: String(callId) },
      context,
    })) as {
      interests: { login: string; email: string | null; status: string }[];
    };
    expect(data.interests.map((i) => [i.login, i.email])).toEqual([
      ["volunteer", "volunteer@example.org"],
      ["volunteer2", null],
    ]);
  });

  test("accept moves the call to in conversation and emails the volunteer; decline emails kindly", async () => {
    const callId = await answeredCall("Call whose volunteers hear back");
    const interests = await calls.listInterests(callId);
    resend.reset();
    // An interest of another call cannot be answered through this one.
    const other = await postOk(maya, { title: "Unrelated other call" });
    await express(callId, stranger, { message: "Interested in the first call too." });
    expect((await decide(other, "accept", interests[0]!.id)).status).toBe(409);

    expect((await decide(callId, "accept", interests[0]!.id)).status).toBe(302);
    expect((await calls.getCall(callId))!.status).toBe("in_conversation");
    expect((await decide(callId, "decline", interests[1]!.id, "We found someone already, thank you!")).status).toBe(
      302,
    );
    expect((await decide(callId, "decline", interests[1]!.id)).status).toBe(409);
    const sent = resend.sent();
    expect(sent.find((m) => m.to.includes("volunteer@example.org"))?.subject).toMatch(/accepted/);
    const declined = sent.find((m) => m.to.includes("volunteer2@example.org"))!;
    expect(declined.html).toContain("We found someone already");
    const events = (await calls.listCallEvents(callId)).map((e) => `${e.kind}:${e.toStatus ?? ""}`);
    expect(events).toContain("status_changed:in_conversation");
  });

  test("/me/interests shows each person their own interests and states", async () => {
    const callId = await answeredCall("Call with a declined volunteer");
    const theirs = (await calls.listInterests(callId)).find((i) => i.login === "volunteer2")!;
    expect((await decide(callId, "decline", theirs.id, "We found someone already, thank you!")).status).toBe(302);
    const mine = (await myInterests.loader({
      request: request("/me/interests", { cookie: volunteer2 }),
      params: {},
      context,
    })) as {
      interests: { callId: number; status: string; decisionMessage: string | null }[];
    };
    expect(mine.interests.find((i) => i.callId === callId)).toMatchObject({
      status: "declined",
      decisionMessage: "We found someone already, thank you!",
    });
    const anon = await run(() => myInterests.loader({ request: request("/me/interests"), params: {}, context }));
    expect(anon.location).toBe("/login?next=%2Fme%2Finterests");
  });

  test("withdrawing, and coming back", async () => {
    const callId = await postOk(maya, { title: "Call to withdraw from" });
    await express(callId, volunteer, { message: "Interested for now, thank you." });
    await run(() =>
      callPage.action({
        request: request(`/calls/${callId}`, { cookie: volunteer, form: { intent: "withdraw" } }),
        params: { id: String(callId) },
        context,
      }),
    );
    expect((await calls.getMyInterest(callId, (await userId("volunteer"))!))!.status).toBe("withdrawn");
    expect((await express(callId, volunteer, { message: "Back again, still keen." })).status).toBe(302);
    expect((await calls.getMyInterest(callId, (await userId("volunteer"))!))!.status).toBe("pending");
  });

  test("filling a call records who took it and how long it took", async () => {
    const callId = await answeredCall("Quokka release help");
    const postedAt = (await calls.getCall(callId))!.createdAt;
    const filledAt = postedAt + 3 * DAY + 5 * 60 * 60 * 1000;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(filledAt);
    try {
      const r = await run(() =>
        manageCall.action({
          request: request(`/calls/${callId}/manage`, {
            cookie: maya,
            form: { outcome: "filled", filledByLogin: "@volunteer", note: "Welcome aboard!" },
          }),
          params: { id: String(callId) },
          context,
        }),
      );
      expect(r.status).toBe(302);
    } finally {
      vi.useRealTimers();
    }
    const call = (await calls.getCall(callId))!;
    expect(call.status).toBe("filled");
    expect(call.filledByUserId).toBe(await userId("volunteer"));
    expect(call.outcomeNote).toBe("Taken over by @volunteer. Welcome aboard!");
    expect(call.filledAt).toBe(filledAt);
    expect(call.timeToFillMs).toBe(3 * DAY + 5 * 60 * 60 * 1000);
    expect((await calls.listCalls({ q: "quokka" })).total).toBe(0);
    // Finished calls take no new interest and cannot be finished twice.
    expect((await express(callId, stranger, { message: "Is it still open?" })).status).toBe(409);
  });
});

async function userId(login: string) {
  return (await db().select().from(schema.users).where(eq(schema.users.login, login)).get())?.id;
}

describe("safe rendering", () => {
  test("HTML, script and javascript: links in a description render as harmless text", async () => {
    const id = await postOk(maya, {
      title: "<script>alert(1)</script> title",
      description:
        'Hello <img src=x onerror=alert(1)> and [click](javascript:alert(1)) and <a href="javascript:alert(2)">x</a> [ok](https://example.org)',
    });
    const data = (await callPage.loader({ request: request(`/calls/${id}`), params: { id: String(id) }, context })) as {
      descriptionHtml: string;
      call: { title: string };
    };
    expect(data.descriptionHtml).not.toMatch(/<img/i);
    expect(data.descriptionHtml).not.toMatch(/href="javascript:/i);
    expect(data.descriptionHtml).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(data.descriptionHtml).toMatch(/<a href="https:\/\/example.org"[^>]*rel="nofollow ugc noopener"/);
    expect(data.call.title).toBe("<script>alert(1)</script> title"); // React escapes it on the page
  });
});

describe("API and feed", () => {
  test("/api/calls: versioned JSON with the same filters, ETag and Cache-Control", async () => {
    const response = await apiCalls.loader({ request: request("/api/calls?kind=documentation"), params: {}, context });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toMatch(/max-age/);
    const etag = response.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const body = (await response.json()) as {
      version: number;
      total: number;
      calls: { kind: string; url: string; package: { slug: string } }[];
    };
    expect(body.version).toBe(1);
    expect(body.calls.every((c) => c.kind === "documentation")).toBe(true);
    expect(body.calls[0]!.url).toMatch(new RegExp(`^${APP}/calls/\\d+$`));
    const cached = await apiCalls.loader({
      request: new Request("http://x/api/calls?kind=documentation", { headers: { "If-None-Match": etag } }),
      params: {},
      context,
    });
    expect(cached.status).toBe(304);
  });

  test("/api/calls/:id: one call; malformed or unknown ids are JSON 404s", async () => {
    const [first] = (await calls.listCalls({})).calls;
    const one = await apiCall.loader({
      request: request(`/api/calls/${first!.id}`),
      params: { id: String(first!.id) },
      context,
    });
    expect(((await one.json()) as { call: { id: number } }).call.id).toBe(first!.id);
    for (const bad of ["abc", "999999"]) {
      const r = await apiCall.loader({ request: request(`/api/calls/${bad}`), params: { id: bad }, context });
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ version: 1, error: "not_found" });
    }
  });

  test("/calls.atom: Atom 1.0 with stable ids, links and escaped titles", async () => {
    const response = await feed.loader({ request: request("/calls.atom"), params: {}, context });
    expect(response.headers.get("content-type")).toMatch(/application\/atom\+xml/);
    const xml = await response.text();
    expect(xml).toMatch(/<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
    expect(xml).toMatch(/<id>tag:127\.0\.0\.1,2026:call:\d+<\/id>/);
    expect(xml).not.toContain("<script>");
    expect((xml.match(/<entry>/g) ?? []).length).toBeLessThanOrEqual(50);
  });
});

describe("expiry and renewal (with a settable clock)", () => {
  test("a reminder 7 days before, a one-click renewal that works once, expiry after the last day", async () => {
    const now = Date.now();
    const expiresOn = iso(now + 20 * DAY);
    const id = await postOk(maya, { title: "Call that will expire soon", expiresOn });
    resend.reset();
    expect(await calls.sendExpiryReminders(now)).toBe(0);
    const reminderDay = Date.parse(`${expiresOn}T09:00:00Z`) - 7 * DAY;
    await calls.sendExpiryReminders(reminderDay);
    await calls.sendExpiryReminders(reminderDay + 3600_000); // once per expiry date
    const mails = resend.sent().filter((m) => m.subject.includes("expires"));
    expect(mails).toHaveLength(1);
    const link = /href="([^"]*\/renew\?token=[^"]+)"/.exec(mails[0]!.html!)![1]!.replace(/&amp;/g, "&");
    const token = new URL(link).searchParams.get("token")!;

    // GET only shows; it changes nothing (mail scanners follow links).
    const shown = await run(() =>
      renewRoute.loader({
        request: request(`/calls/${id}/renew?token=${encodeURIComponent(token)}`),
        params: { id: String(id) },
        context,
      }),
    );
    expect(shown.status).toBe(200);
    expect((await calls.getCall(id))!.expiresOn).toBe(expiresOn);
    // The token of this call does not work under another call's address.
    const elsewhere = await run(() =>
      renewRoute.action({ request: request(`/calls/1/renew`, { form: { token } }), params: { id: "1" }, context }),
    );
    expect(elsewhere.status).toBe(410);

    const renewed = await run(() =>
      renewRoute.action({
        request: request(`/calls/${id}/renew`, { form: { token } }),
        params: { id: String(id) },
        context,
      }),
    );
    expect(renewed.status).toBe(200);
    const newExpiry = iso(Date.parse(`${expiresOn}T00:00:00Z`) + 90 * DAY);
    expect((await calls.getCall(id))!.expiresOn).toBe(newExpiry);
    const again = await run(() =>
      renewRoute.action({
        request: request(`/calls/${id}/renew`, { form: { token } }),
        params: { id: String(id) },
        context,
      }),
    );
    expect(again.status).toBe(410);
    expect((await calls.checkRenewalToken(token + "x")).ok).toBe(false);

    // The day after the last day, the call expires and leaves the list.
    const after = Date.parse(`${newExpiry}T00:00:00Z`) + DAY;
    await calls.expireCalls(after);
    expect((await calls.getCall(id))!.status).toBe("expired");
    expect((await calls.listCalls({ q: "expire soon" }, after)).total).toBe(0);
    const kinds = (await calls.listCallEvents(id)).map((e) => e.kind);
    expect(kinds.sort()).toEqual(["posted", "reminder_sent", "renewed", "status_changed"]);
  });

  test("an expired call can be renewed from a fresh reminder's link and comes back", async () => {
    const id = await postOk(maya, { title: "Expired then renewed call", expiresOn: iso(Date.now() + 2 * DAY) });
    const call = (await calls.getCall(id))!;
    const token = calls.renewalToken(id, call.expiresOn);
    const later = Date.parse(`${call.expiresOn}T00:00:00Z`) + 3 * DAY;
    await calls.expireCalls(later);
    const result = await calls.renewCall(token, later);
    expect(result.ok).toBe(true);
    expect((await calls.getCall(id))!.status).toBe("open");
    // Links are valid two weeks after the expiry they were sent for.
    expect((await calls.checkRenewalToken(calls.renewalToken(id, "2020-01-01"))).ok).toBe(false);
  });
});
