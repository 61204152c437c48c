// The digest suggests only calls the site lists: one rule (listedCallSql in
// app/models/calls/listed.server.ts) decides both, so a call the site hides never reaches an email.
import { expect, test } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";

const API_KEY = "re_test_digest_listed_0123456789";
const resend = withResendStandIn(API_KEY, { APP_URL: "https://roadies.example.org" });

const { runDigest } = await import("#app/jobs/digest.server.ts");
const { isoWeekOf } = await import("#app/models/digest/weeks.ts");
const { listCalls } = await import("#app/models/calls/listing.server.ts");
const { suspendAccount } = await import("#app/models/people/suspension.server.ts");
const { unhideContent } = await import("#app/models/moderation/hides.server.ts");
const { makeCall, makePackage, makeUser } = await import("./digest-fixtures.ts");

test("a suspended poster's calls never reach a digest", async () => {
  const admin = await makeUser({ login: "wg-admin", email: null });
  const poster = await makeUser({ login: "spam-poster", email: null });
  const maintainer = await makeUser({ login: "good-maintainer", email: null });
  const spamPkg = await makePackage("django-spam", [poster.id]);
  const goodPkg = await makePackage("django-good", [maintainer.id]);
  const spam = await makeCall({
    packageId: spamPkg.id,
    title: "Suspended poster's call",
    postedBy: poster.id,
    skills: [["packaging", "comfortable"]],
  });
  await makeCall({
    packageId: goodPkg.id,
    title: "A call the site lists",
    postedBy: maintainer.id,
    skills: [["packaging", "comfortable"]],
  });
  await makeUser({ login: "volunteer-vi", skills: [["packaging", "expert"]], roles: ["co-maintainer"] });
  // The account is suspended (its calls hidden with it), then the working group unhides the call:
  // the poster is still suspended, so the call stays off every list.
  await suspendAccount(poster.id, "Spam", admin.id);
  await unhideContent("call", spam.id, admin.id);

  const onSite = (await listCalls({})).calls.map((c) => c.title);
  expect(onSite).toContain("A call the site lists");
  expect(onSite).not.toContain("Suspended poster's call");

  const summary = await runDigest({ week: isoWeekOf(Date.now()), ratePerSecond: 1000 });
  expect(summary.status).toBe("done");
  const email = resend.standIn.sent().find((e) => e.to[0] === "volunteer-vi@example.org");
  expect(email?.text).toContain("A call the site lists");
  expect(email?.text).not.toContain("Suspended poster's call");
  expect(email?.html).not.toContain("Suspended poster");
});
