// The profile's time zone through the real page: a zone saved under its current IANA name is offered
// by the picker and saves again; a row holding a deprecated name shows and saves as the current one.
import { describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";

process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { useFreshDatabase } = await import("#tests/support/database.ts");
const { makeUser, cookieFor } = await import("#tests/support/factories.ts");
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const route = await import("#app/routes/settings.profile.tsx");

type ProfilePage = {
  profile: { timezone: string | null };
  timeZones: { value: string; label: string }[];
  zoneChoice: string;
};

const form = (timezone: string) => ({ timezone, availabilityHours: "4", visibility: "public" });
const storedZone = async (userId: number) =>
  (await db().select({ tz: schema.users.timezone }).from(schema.users).where(eq(schema.users.id, userId)).get())?.tz;

describe("a profile's time zone", () => {
  useFreshDatabase();

  test("a profile saved with Asia/Kolkata is offered Asia/Kolkata and saves a second time", async () => {
    const user = await makeUser("kolkata-volunteer");
    const cookie = await cookieFor(user.id);
    const save = () =>
      run(() =>
        route.action({
          request: request("/settings/profile", { cookie, form: form("Asia/Kolkata") }),
          params: {},
          context,
        }),
      );

    const first = await save();
    expect(first.status).toBe(302);
    expect(await storedZone(user.id)).toBe("Asia/Kolkata");

    const page = (
      await run(() => route.loader({ request: request("/settings/profile", { cookie }), params: {}, context }))
    ).value as ProfilePage;
    expect(page.timeZones.map((z) => z.value)).toContain("Asia/Kolkata");
    expect(page.timeZones.map((z) => z.value)).not.toContain("Asia/Calcutta");
    expect(page.timeZones.find((z) => z.value === "Asia/Kolkata")?.label).toBe("Asia/Kolkata (UTC+05:30)");

    const second = await save();
    expect(second.status).toBe(302);
    expect(second.location).toBe("/settings/profile?saved=1");
    expect(await storedZone(user.id)).toBe("Asia/Kolkata");
  });

  test("a row still holding Asia/Calcutta shows as Asia/Kolkata and is stored so on the next save", async () => {
    const user = await makeUser("calcutta-volunteer", { timezone: "Asia/Calcutta" });
    const cookie = await cookieFor(user.id);
    const page = (
      await run(() => route.loader({ request: request("/settings/profile", { cookie }), params: {}, context }))
    ).value as ProfilePage;
    const offered = page.timeZones.map((z) => z.value);
    // The form's default is the current name, which the picker offers.
    expect(page.zoneChoice).toBe("Asia/Kolkata");
    expect(offered).toContain("Asia/Kolkata");

    const saved = await run(() =>
      route.action({
        request: request("/settings/profile", { cookie, form: form("Asia/Calcutta") }),
        params: {},
        context,
      }),
    );
    expect(saved.status).toBe(302);
    expect(await storedZone(user.id)).toBe("Asia/Kolkata");
  });

  test("a name that is not a zone is refused with a message and nothing is stored", async () => {
    const user = await makeUser("nowhere-volunteer");
    const cookie = await cookieFor(user.id);
    const refused = await run(() =>
      route.action({
        request: request("/settings/profile", { cookie, form: form("Mars/Olympus") }),
        params: {},
        context,
      }),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.value)).toMatch(/Choose a time zone from the list/);
    expect(await storedZone(user.id)).toBeNull();
  });
});
