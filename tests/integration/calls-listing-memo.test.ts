// Which calls a listing shows is remembered per public-content generation
// (app/utils/public-memo.server.ts), which every write to the listing's tables bumps in its own
// transaction. So whoever writes, this instance through the models or another instance straight to
// the database, the lists show the change on their next read; only the day changes without a write,
// and the day is in the memo's keys.
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { useFreshDatabase } from "#tests/support/database.ts";
import { makeAdmin, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";

const { callFilterChoices, listCalls, mostUrgentCalls, similarCalls } =
  await import("#app/models/calls/listing.server.ts");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { hideContent, unhideContent } = await import("#app/models/moderation/hides.server.ts");
const { suspendAccount, unsuspendAccount } = await import("#app/models/people/suspension.server.ts");
const { DAY_MS, isoDay } = await import("#app/utils/dates.ts");

const titles = async (pkg: string, now?: number) => {
  const result = await listCalls({ package: pkg }, now);
  return { titles: result.calls.map((c) => c.title).sort(), total: result.total };
};

describe("listings follow every change to what visitors see", () => {
  useFreshDatabase();
  // Another instance of the app: its own connection, none of this process's code in its writes.
  let other: Client;
  beforeAll(() => {
    other = createClient({ url: process.env.DATABASE_URL! });
  });
  afterAll(() => other.close());

  test("a change to what visitors see is listed at once on every instance", async () => {
    const poster = await makeUser("memo-poster");
    const pkg = await makePackage("django-memo", [poster]);
    const first = await makeCall(pkg.id, poster, { title: "First" });
    const second = await makeCall(pkg.id, poster, { title: "Second" });
    expect(await titles("django-memo")).toEqual({ titles: ["First", "Second"], total: 2 });

    await other.execute({ sql: "UPDATE calls SET status = 'closed' WHERE id = ?", args: [first.id] });
    expect(await titles("django-memo")).toEqual({ titles: ["Second"], total: 1 });

    await other.execute({
      sql: "INSERT INTO moderation_hides (object_type, object_id, reason, created_at) VALUES ('call', ?, 'spam', 0)",
      args: [String(second.id)],
    });
    expect(await titles("django-memo")).toEqual({ titles: [], total: 0 });
    await other.execute({ sql: "DELETE FROM moderation_hides WHERE object_id = ?", args: [String(second.id)] });
    expect(await titles("django-memo")).toEqual({ titles: ["Second"], total: 1 });

    await other.execute({
      sql: "INSERT INTO account_suspensions (user_id, reason, created_at) VALUES (?, 'spam', 0)",
      args: [poster.id],
    });
    expect(await titles("django-memo")).toEqual({ titles: [], total: 0 });
    await other.execute({ sql: "DELETE FROM account_suspensions WHERE user_id = ?", args: [poster.id] });
    expect(await titles("django-memo")).toEqual({ titles: ["Second"], total: 1 });

    await other.execute({
      sql: "INSERT INTO call_skills (call_id, skill_id, level) VALUES (?, 'packaging', 'comfortable')",
      args: [second.id],
    });
    expect((await listCalls({ package: "django-memo", skill: "packaging" })).calls.map((c) => c.title)).toEqual([
      "Second",
    ]);

    await other.execute({
      sql: "UPDATE packages SET name = 'django-memo-renamed', normalized_name = 'django-memo-renamed' WHERE id = ?",
      args: [pkg.id],
    });
    expect(await titles("django-memo")).toEqual({ titles: [], total: 0 });
    expect(await titles("django-memo-renamed")).toEqual({ titles: ["Second"], total: 1 });

    await makeCall(pkg.id, poster, { title: "Third", urgency: "critical" });
    expect(await titles("django-memo-renamed")).toEqual({ titles: ["Second", "Third"], total: 2 });
    expect((await mostUrgentCalls(1)).map((c) => c.title)).toEqual(["Third"]);
  });

  test("hiding, unhiding, suspending and lifting through the models are listed at once", async () => {
    const admin = await makeAdmin("memo-admin");
    const poster = await makeUser("memo-poster-2");
    const pkg = await makePackage("django-memo-two", [poster]);
    const call = await makeCall(pkg.id, poster, { title: "Only" });
    expect(await titles("django-memo-two")).toEqual({ titles: ["Only"], total: 1 });

    await hideContent("call", call.id, "spam", admin.id);
    expect(await titles("django-memo-two")).toEqual({ titles: [], total: 0 });
    await unhideContent("call", call.id, admin.id);
    expect(await titles("django-memo-two")).toEqual({ titles: ["Only"], total: 1 });

    await suspendAccount(poster.id, "spam", admin.id);
    expect(await titles("django-memo-two")).toEqual({ titles: [], total: 0 });
    // Lifting the suspension does not unhide the calls it hid: the working group decides that.
    await unsuspendAccount(poster.id, admin.id);
    await unhideContent("call", call.id, admin.id);
    expect(await titles("django-memo-two")).toEqual({ titles: ["Only"], total: 1 });
  });

  test("a listed call's summary (title, skills, package name) shows its change at once on every instance", async () => {
    const poster = await makeUser("memo-poster-5");
    const pkg = await makePackage("django-memo-five", [poster]);
    const call = await makeCall(pkg.id, poster, { title: "Before" });
    const summary = async () => (await listCalls({ package: "django-memo-five" })).calls[0]!;
    expect((await summary()).title).toBe("Before");

    // The same listing (same key), its rows changed underneath.
    await other.execute({ sql: "UPDATE calls SET title = 'After' WHERE id = ?", args: [call.id] });
    expect((await summary()).title).toBe("After");
    await other.execute({
      sql: "INSERT INTO call_skills (call_id, skill_id, level) VALUES (?, 'packaging', 'comfortable')",
      args: [call.id],
    });
    expect((await summary()).skills.map((s) => s.skillId)).toContain("packaging");
    await other.execute({ sql: "UPDATE packages SET name = 'Django Memo Five' WHERE id = ?", args: [pkg.id] });
    expect((await summary()).packageName).toBe("Django Memo Five");
  });

  test("similar calls follow a change at once", async () => {
    const admin = await makeAdmin("memo-admin-3");
    const poster = await makeUser("memo-poster-3");
    const pkg = await makePackage("django-memo-three", [poster]);
    const call = await makeCall(pkg.id, poster, { title: "Seen", kind: "documentation" });
    const like = await makeCall(pkg.id, poster, { title: "Alike", kind: "documentation" });
    const detail = (await getCall(call.id))!;
    expect((await similarCalls(detail)).map((c) => c.title)).toContain("Alike");

    await hideContent("call", like.id, "spam", admin.id);
    expect((await similarCalls(detail)).map((c) => c.title)).not.toContain("Alike");
  });

  test("the filter's skills and Django versions show a change at once on every instance, and the day's", async () => {
    const now = Date.now();
    const tagOf = async (version: string, at = now) =>
      (await callFilterChoices(at)).djangoVersions.find((v) => v.version === version)?.tag;
    const supported = (await callFilterChoices(now)).djangoVersions.find((v) => v.phase === "supported")!;
    expect(supported.tag).toBeNull();

    await other.execute({ sql: "UPDATE skills SET name = 'Packaging and wheels' WHERE id = 'packaging'", args: [] });
    expect((await callFilterChoices(now)).skills.find((s) => s.id === "packaging")?.name).toBe("Packaging and wheels");
    await other.execute({ sql: "UPDATE skills SET name = 'Packaging' WHERE id = 'packaging'", args: [] });

    // An admin's correction of a date (release_date_corrections), written by another instance.
    await other.execute({
      sql: "INSERT INTO release_date_corrections (version, milestone, date, confirmed, updated_at) VALUES (?, 'extendedSupportEnd', '2001-01-01', 1, 0)",
      args: [supported.version],
    });
    expect(await tagOf(supported.version)).toBe("end of life");
    await other.execute({ sql: "DELETE FROM release_date_corrections WHERE version = ?", args: [supported.version] });
    expect(await tagOf(supported.version)).toBeNull();

    // With no write, a later day labels the versions for that day (its support has ended by then).
    expect(await tagOf(supported.version, now + 20 * 365 * DAY_MS)).toBe("end of life");
  });

  test("a call leaves the lists the day after its last day, with no write", async () => {
    const now = Date.now();
    const poster = await makeUser("memo-poster-4");
    const pkg = await makePackage("django-memo-four", [poster]);
    await makeCall(pkg.id, poster, { title: "Last day", expiresOn: isoDay(now), createdAt: now - DAY_MS });
    expect(await titles("django-memo-four", now)).toEqual({ titles: ["Last day"], total: 1 });
    expect(await titles("django-memo-four", now + DAY_MS)).toEqual({ titles: [], total: 0 });
  });
});
