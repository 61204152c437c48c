// The package page's calls section: the package's calls still taking interest, by the same rule of
// what the public may see as the listings (no hidden call, none by a suspended account), read by
// one statement built once for every package and day.
import { describe, expect, test } from "vitest";
import { useFreshDatabase } from "#tests/support/database.ts";
import { makeAdmin, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";

const { packageCallsSection } = await import("#app/models/calls/listing.server.ts");
const { hideContent } = await import("#app/models/moderation/hides.server.ts");
const { suspendAccount } = await import("#app/models/people/suspension.server.ts");
const { DAY_MS, isoDay } = await import("#app/utils/dates.ts");

const titles = async (pkg: { id: number }, now?: number) =>
  (await packageCallsSection(pkg, null, now)).calls.map((c) => c.title).sort();

describe("the package page's calls", () => {
  useFreshDatabase();

  test("lists the package's open and in-conversation calls only: none closed, expired, hidden or by a suspended account", async () => {
    const admin = await makeAdmin("section-admin");
    const poster = await makeUser("section-poster");
    const suspended = await makeUser("section-suspended");
    const pkg = await makePackage("django-section", [poster, suspended]);
    const other = await makePackage("django-elsewhere", [poster]);
    const now = Date.now();
    await makeCall(pkg.id, poster, { title: "Open" });
    await makeCall(pkg.id, poster, { title: "Talking", status: "in_conversation" });
    await makeCall(pkg.id, poster, { title: "Last day", expiresOn: isoDay(now) });
    await makeCall(pkg.id, poster, { title: "Closed", status: "closed" });
    await makeCall(pkg.id, poster, { title: "Expired", expiresOn: isoDay(now - DAY_MS) });
    const hidden = await makeCall(pkg.id, poster, { title: "Hidden" });
    await hideContent("call", hidden.id, "spam", admin.id);
    await makeCall(pkg.id, suspended, { title: "By a suspended account" });
    await suspendAccount(suspended.id, "spam", admin.id);
    await makeCall(other.id, poster, { title: "Elsewhere" });

    expect(await titles(pkg, now)).toEqual(["Last day", "Open", "Talking"]);
    // The same statement, for another package and another day.
    expect(await titles(other, now)).toEqual(["Elsewhere"]);
    expect(await titles(pkg, now + DAY_MS)).toEqual(["Open", "Talking"]);
  });
});
