// "Not for me" on a call (record, twice = once, undo, who may, 404s) and /calls/new prefilled from
// the links of the compatibility pages (?kind=…&django=…).
import { afterAll, describe, expect, test } from "vitest";
import { context, request, run } from "#tests/support/routes.ts";
import { signIn, startStandIns } from "./calls-helpers.ts";

const { githubServer, resend } = await startStandIns();
const newCall = await import("#app/routes/calls.new.tsx");
const callPage = await import("#app/routes/calls.$id.tsx");
const notForMe = await import("#app/routes/calls.$id_.not-for-me.tsx");
const settings = await import("#app/routes/settings.notifications.tsx");
const packagesNew = await import("#app/routes/packages.new.tsx");
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");

afterAll(async () => {
  await resend.close();
  await githubServer.close();
});

const maya = await signIn("maya"); // admin of acme/django-widgets
const volunteer = await signIn("volunteer");
const wgadmin = await signIn("wgadmin");
// As the operator's `npm run admin:grant` does: admin rights come with a working-group stint.
await (
  await import("#app/models/people/admins.server.ts")
).grantAdmin((await db().select().from(schema.users).where(eq(schema.users.login, "wgadmin")).get())!.id, null);
const volunteerId = (await db().select().from(schema.users).where(eq(schema.users.login, "volunteer")).get())!.id;

expect(
  (
    await run(() =>
      packagesNew.action({
        request: request("/packages/new", {
          cookie: maya,
          form: { name: "django-widgets", repository: "acme/django-widgets" },
        }),
        params: {},
        context,
      }),
    )
  ).location,
).toContain("added=1");

async function postCall(title: string) {
  await db().delete(schema.rateLimits);
  const r = await run(() =>
    newCall.action({
      request: request("/calls/new", {
        cookie: maya,
        form: {
          package: "django-widgets",
          kind: "co-maintainer",
          title,
          description: "We need someone to help review pull requests and cut releases every few months.",
          skills: ["testing:comfortable"],
          hoursPerWeek: "3",
          urgency: "normal",
        },
      }),
      params: {},
      context,
    }),
  );
  expect(r.status, JSON.stringify(r.value)).toBe(302);
  return Number(/\/calls\/(\d+)/.exec(r.location!)![1]);
}

const callId = await postCall("Co-maintainer for widget releases");
const hiddenId = await postCall("A call the working group hid");
await db()
  .insert(schema.moderationHides)
  .values({ objectType: "call", objectId: String(hiddenId), reason: "spam", createdAt: Date.now() });

const press = (cookie: string | undefined, id: number | string, form: Record<string, string>) =>
  run(() =>
    notForMe.action({
      request: request(`/calls/${id}/not-for-me`, { cookie, form }),
      params: { id: String(id) },
      context,
    }),
  );
const dismissals = () => db().select().from(schema.matchDismissals).all();
const page = async (cookie: string, id = callId) =>
  (
    await run(() =>
      callPage.loader({ request: request(`/calls/${id}`, { cookie }), params: { id: String(id) }, context }),
    )
  ).value as Awaited<ReturnType<typeof callPage.loader>>;

describe("Not for me", () => {
  test("records the dismissal once however often it is pressed, and the call page confirms it", async () => {
    expect((await page(volunteer)).dismissed).toBe(false);
    const first = await press(volunteer, callId, { intent: "dismiss" });
    expect(first.status).toBe(302);
    expect(first.location).toBe(`/calls/${callId}`);
    expect((await press(volunteer, callId, { intent: "dismiss" })).status).toBe(302);
    const rows = await dismissals();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ userId: volunteerId, itemKind: "call", itemId: String(callId) });
    expect((await page(volunteer)).dismissed).toBe(true);
  });

  test("the settings page lists it, and Undo there brings it back", async () => {
    const before = (await run(() =>
      settings.loader({ request: request("/settings/notifications", { cookie: volunteer }), params: {}, context }),
    )) as { value: { dismissed: { id: number; title: string; packageName: string }[] } };
    expect(before.value.dismissed).toEqual([
      expect.objectContaining({
        id: callId,
        title: "Co-maintainer for widget releases",
        packageName: "django-widgets",
      }),
    ]);
    const undone = await press(volunteer, callId, { intent: "undo", returnTo: "settings" });
    expect(undone.location).toBe("/settings/notifications?undone=1");
    expect(await dismissals()).toEqual([]);
    expect((await page(volunteer)).dismissed).toBe(false);
    // Undoing what is not dismissed changes nothing and is no error.
    expect((await press(volunteer, callId, { intent: "undo" })).status).toBe(302);
  });

  test("Undo on the call page removes it", async () => {
    await press(volunteer, callId, { intent: "dismiss" });
    expect(await dismissals()).toHaveLength(1);
    const r = await press(volunteer, callId, { intent: "undo" });
    expect(r.location).toBe(`/calls/${callId}`);
    expect(await dismissals()).toEqual([]);
  });

  test("a hidden call, an unknown or malformed id, and the package's own maintainer get 404", async () => {
    for (const id of [hiddenId, 999999, "abc", "1.5", "0"]) {
      expect((await press(volunteer, id, { intent: "dismiss" })).status, `id ${id}`).toBe(404);
    }
    // Admins can see hidden calls, but there is nothing to dismiss there either.
    expect((await press(wgadmin, hiddenId, { intent: "dismiss" })).status).toBe(404);
    expect((await press(maya, callId, { intent: "dismiss" })).status).toBe(404);
    expect(await dismissals()).toEqual([]);
  });

  test("a call hidden after it was dismissed drops out of the settings list", async () => {
    const other = await postCall("Release manager for the widgets");
    await press(volunteer, other, { intent: "dismiss" });
    await db()
      .insert(schema.moderationHides)
      .values({ objectType: "call", objectId: String(other), reason: "spam", createdAt: Date.now() });
    const r = (await run(() =>
      settings.loader({ request: request("/settings/notifications", { cookie: volunteer }), params: {}, context }),
    )) as { value: { dismissed: unknown[] } };
    expect(r.value.dismissed).toEqual([]);
  });

  test("an anonymous visitor is sent to sign in; a bad intent is a 400 that records nothing", async () => {
    const anonymous = await press(undefined, callId, { intent: "dismiss" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toBe(`/login?next=${encodeURIComponent(`/calls/${callId}/not-for-me`)}`);
    expect((await press(volunteer, callId, { intent: "delete" })).status).toBe(400);
    expect((await press(volunteer, callId, {})).status).toBe(400);
    expect(await dismissals()).toHaveLength(1); // the hidden call's, from the test above
  });

  test("GET changes nothing and goes back to the call", async () => {
    const r = await run(() =>
      notForMe.loader({ request: request(`/calls/${callId}/not-for-me`), params: { id: String(callId) }, context }),
    );
    expect(r.location).toBe(`/calls/${callId}`);
    const bad = await run(() =>
      notForMe.loader({ request: request(`/calls/x/not-for-me`), params: { id: "x" }, context }),
    );
    expect(bad.status).toBe(404);
  });
});

describe("the digest", () => {
  test("never suggests a call the person marked not for me, and suggests it again after Undo", async () => {
    const { runDigest } = await import("#app/jobs/digest.server.ts");
    await db()
      .update(schema.users)
      .set({ availabilityHours: 5, timezone: "Europe/Paris" })
      .where(eq(schema.users.id, volunteerId));
    await db().insert(schema.userSkills).values({ userId: volunteerId, skillId: "testing", level: "expert" });
    const suggested = async () => {
      const summary = await runDigest({ dryRun: true, only: "volunteer" });
      return (summary.dryRunRecipients ?? []).flatMap((r) => r.matches.map((m) => m.id));
    };
    expect(await suggested()).toContain(String(callId));
    await press(volunteer, callId, { intent: "dismiss" });
    expect(await suggested()).not.toContain(String(callId));
    await press(volunteer, callId, { intent: "undo" });
    expect(await suggested()).toContain(String(callId));
  });
});

describe("/calls/new prefilled from a link", () => {
  const load = async (query: string) =>
    (await run(() => newCall.loader({ request: request(`/calls/new${query}`, { cookie: maya }), params: {}, context })))
      .value as Awaited<ReturnType<typeof newCall.loader>>;

  test("the compatibility page's link prefills the package, the kind and the Django version", async () => {
    const d = await load("?package=django-widgets&kind=django-compat&django=6.0");
    expect(d.djangoVersions.map((v) => v.version)).toContain("6.0");
    expect(d).toMatchObject({ preselected: "django-widgets", kind: "django-compat", prefilledVersions: ["6.0"] });
  });

  test("unknown or malformed values are ignored", async () => {
    expect(await load("?kind=world-domination&django=6.0<script>")).toMatchObject({ kind: "", prefilledVersions: [] });
    expect(await load("?kind=documentation&django=1.0")).toMatchObject({
      kind: "documentation",
      prefilledVersions: [],
    });
    expect(await load("?kind=&django=")).toMatchObject({ kind: "", prefilledVersions: [] });
    expect(await load("?kind=a&kind=b")).toMatchObject({ kind: "" });
  });
});
