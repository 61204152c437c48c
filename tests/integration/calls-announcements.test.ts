// Announcing new public calls to Discord-compatible and generic JSON webhooks (a local stand-in).
import { afterAll, describe, expect, test } from "vitest";
import { startWebhookStandIn } from "#tests/fakes/webhook.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { signIn, startStandIns } from "./calls-helpers.ts";

const { githubServer, resend } = await startStandIns();
const hooks = await startWebhookStandIn();
const admin = await import("#app/routes/admin.announcements.tsx");
const packagesNew = await import("#app/routes/packages.new.tsx");
const calls = await import("#app/models/calls/calls.server.ts");
const { deliverDueAnnouncements, ANNOUNCE_BACKOFF_MS } = await import("#app/models/calls/announcements.server.ts");
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");

afterAll(async () => {
  await hooks.close();
  await resend.close();
  await githubServer.close();
});

const maya = await signIn("maya");
const wgadmin = await signIn("wgadmin");
// As the operator's `npm run admin:grant` does: admin rights come with a working-group stint.
await (
  await import("#app/models/people/admins.server.ts")
).grantAdmin((await db().select().from(schema.users).where(eq(schema.users.login, "wgadmin")).get())!.id, null);
await run(() =>
  packagesNew.action({
    request: request("/packages/new", {
      cookie: maya,
      form: { name: "django-widgets", repository: "acme/django-widgets" },
    }),
    params: {},
    context,
  }),
);
const packageId = (await db()
  .select()
  .from(schema.packages)
  .where(eq(schema.packages.normalizedName, "django-widgets"))
  .get())!.id;
const mayaId = (await db().select().from(schema.users).where(eq(schema.users.login, "maya")).get())!.id;

const value = (title: string) => ({
  kind: "co-maintainer" as const,
  title,
  description: "A call description that is long enough to pass.",
  skills: [{ skillId: "testing", level: "comfortable" as const }],
  hoursPerWeek: 2,
  djangoVersions: [],
  urgency: "normal" as const,
  expiresOn: undefined,
});

describe("announcement webhooks", () => {
  test("only working-group admins configure them", async () => {
    const form = { name: "Discord #packages", kind: "discord", url: `${hooks.url}/discord/1` };
    const denied = await run(() =>
      admin.action({ request: request("/admin/announcements", { cookie: maya, form }), params: {}, context }),
    );
    expect(denied.status).toBe(403);
    const bad = await run(() =>
      admin.action({
        request: request("/admin/announcements", { cookie: wgadmin, form: { ...form, url: "not a url" } }),
        params: {},
        context,
      }),
    );
    expect(bad.status).toBe(400);
    for (const f of [form, { name: "Generic JSON", kind: "json", url: `${hooks.url}/json` }]) {
      const ok = await run(() =>
        admin.action({ request: request("/admin/announcements", { cookie: wgadmin, form: f }), params: {}, context }),
      );
      expect(ok.location).toBe("/admin/announcements");
    }
    const page = (await admin.loader({
      request: request("/admin/announcements", { cookie: wgadmin }),
      params: {},
      context,
    })) as {
      hooks: { host: string }[];
    };
    // The secret URL is never shown back, only its host.
    expect(JSON.stringify(page)).not.toContain("/discord/1");
  });

  test("each new public call is announced once to each webhook, Discord without pings", async () => {
    const id = await calls.createCall({ id: mayaId, isAdmin: false }, packageId, value("Announce me @everyone"));
    await deliverDueAnnouncements();
    await deliverDueAnnouncements();
    const got = hooks.received();
    expect(got).toHaveLength(2);
    const discord = got.find((h) => h.path.startsWith("/discord"))!.body as {
      content: string;
      allowed_mentions: unknown;
      embeds: { url: string }[];
    };
    expect(discord.content).toContain("django-widgets");
    expect(discord.content).toContain("\\@everyone");
    expect(discord.allowed_mentions).toEqual({ parse: [] });
    expect(discord.embeds[0]!.url).toBe(`${APP}/calls/${id}`);
    const json = got.find((h) => h.path === "/json")!.body as {
      version: number;
      call: { id: number; package: string; kind: string };
    };
    expect(json).toMatchObject({ version: 1, call: { id, package: "django-widgets", kind: "co-maintainer" } });
  });

  test("failures are retried later, with backoff", async () => {
    hooks.reset();
    hooks.failNext(500);
    const now = Date.now();
    await calls.createCall({ id: mayaId, isAdmin: false }, packageId, value("Retry me please"), now);
    await deliverDueAnnouncements(now);
    // The first request failed; the other webhook got it.
    expect(hooks.received()).toHaveLength(1);
    await deliverDueAnnouncements(now + 1000);
    expect(hooks.received()).toHaveLength(1);
    await deliverDueAnnouncements(now + ANNOUNCE_BACKOFF_MS[0]! + 1);
    expect(hooks.received()).toHaveLength(2);
  });

  test("hidden calls are never announced", async () => {
    hooks.reset();
    const now = Date.now();
    const id = await calls.createCall(
      { id: mayaId, isAdmin: false },
      packageId,
      value("Hidden before announcing"),
      now,
    );
    await db()
      .insert(schema.moderationHides)
      .values({ objectType: "call", objectId: String(id), reason: "spam", createdAt: now });
    await deliverDueAnnouncements(now);
    expect(hooks.received()).toHaveLength(0);
  });
});
