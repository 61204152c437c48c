// [trust] "No call in someone's name without their yes": a nomination becomes a maintainer's call only
// when a verified maintainer of the package accepts it; a decline is recorded and told; where no
// maintainer can answer, it goes out as a community nomination, labelled so and posted by nobody.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_nominations_0123456789";
const standIn: ResendStandIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { makeAdmin, makePackage, makeUser, cookieFor } = await import("#tests/support/factories.ts");
const nominations = await import("#app/models/calls/nominations.server.ts");
const { listCalls } = await import("#app/models/calls/listing.server.ts");
const adminRoute = await import("#app/routes/admin.nominations.$id.tsx");
const maintainerRoute = await import("#app/routes/nominations.$id.tsx");
const callRoute = await import("#app/routes/calls.$id.tsx");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
emailRetryPolicy.baseDelayMs = 1;

afterAll(async () => {
  await standIn.close();
});
beforeEach(() => standIn.reset());

const DAY = 24 * 60 * 60 * 1000;
const draft = {
  kind: "new-maintainer",
  title: "New maintainer wanted for this package",
  description: "The package needs someone to review pull requests and cut releases for Django 6.0.",
  skills: "release-management:comfortable",
  hoursPerWeek: "3",
  urgency: "critical",
};

/** The same call as a model takes it (the form's output). */
const callValue = {
  kind: "co-maintainer" as const,
  title: "Co-maintainer wanted for this package",
  description: "Someone to triage issues and review pull requests every week.",
  skills: [{ skillId: "release-management", level: "comfortable" as const }],
  hoursPerWeek: 2,
  djangoVersions: [],
  urgency: "high" as const,
};

async function makeRoadie(login: string) {
  const user = await makeUser(login);
  await db()
    .insert(schema.memberships)
    .values({ userId: user.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + 365 * DAY });
  return user;
}

/** A package with (or without) a verified maintainer, and a nomination of it by someone else. */
async function nominated(prefix: string, { withMaintainer = true } = {}) {
  const maintainer = await makeUser(`${prefix}-maintainer`);
  const nominator = await makeUser(`${prefix}-nominator`);
  const pkg = await makePackage(`django-${prefix}`, withMaintainer ? [maintainer] : []);
  const id = await nominations.createNomination(nominator.id, {
    packageName: pkg.name,
    reason: "new-home",
    evidence: ["https://github.com/acme/issues/1"],
    details: "",
  });
  return { maintainer, nominator, pkg, id };
}

const post = (
  mod: typeof adminRoute | typeof maintainerRoute,
  path: string,
  id: number,
  cookie: string,
  form: Record<string, string>,
) => run(() => mod.action({ request: request(path, { cookie, form }), params: { id: String(id) }, context }));

const callsOf = (packageId: number) =>
  db().select().from(schema.calls).where(eq(schema.calls.packageId, packageId)).all();

describe("a call in a maintainer's name needs their yes", () => {
  test("a roadie or an admin cannot publish in a maintainer's name: they can only send the draft, and nothing is posted", async () => {
    const { maintainer, pkg, id } = await nominated("noname");
    const roadie = await makeRoadie("noname-roadie");
    const admin = await makeAdmin("noname-admin");

    // Publishing as a community nomination is refused while a verified maintainer can answer.
    const early = await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(admin.id), {
      intent: "community",
      ...draft,
    });
    expect(early.status).toBe(409);
    // The roadie drafts the call: it goes to the maintainer, and no call exists yet.
    const asked = await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(roadie.id), {
      intent: "propose",
      ...draft,
    });
    expect(asked.status).toBe(302);
    expect(await callsOf(pkg.id)).toEqual([]);
    expect((await nominations.getNomination(id))!.status).toBe("proposed");
    const ask = standIn.sent().filter((e) => e.to[0] === maintainer.email);
    expect(ask).toHaveLength(1);
    expect(ask[0]!.subject).toMatch(/do you agree/);
    expect(ask[0]!.html).toContain(`${APP}/nominations/${id}`);
    expect(ask[0]!.idempotencyKey).toBe(`nomination-request:${id}:${maintainer.id}`);

    // Neither the roadie nor the admin can answer in the maintainer's place.
    for (const person of [roadie, admin]) {
      const cookie = await cookieFor(person.id);
      const page = await run(() =>
        maintainerRoute.loader({
          request: request(`/nominations/${id}`, { cookie }),
          params: { id: String(id) },
          context,
        }),
      );
      expect(page.status).toBe(404);
      const accept = await post(maintainerRoute, `/nominations/${id}`, id, cookie, { intent: "accept" });
      expect(accept.status).toBe(404);
      expect((await nominations.acceptNomination(person, id)).ok).toBe(false);
      expect(await callsOf(pkg.id)).toEqual([]);
    }
    // A second draft cannot be sent over the waiting one, and still nothing is posted.
    const again = await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(admin.id), {
      intent: "propose",
      ...draft,
    });
    expect(again.status).toBe(409);
    expect(await callsOf(pkg.id)).toEqual([]);
  });

  test("the maintainer's accept publishes the call in their name, and the nominator is told", async () => {
    const { maintainer, nominator, pkg, id } = await nominated("accepts");
    const roadie = await makeRoadie("accepts-roadie");
    await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(roadie.id), { intent: "propose", ...draft });
    const cookie = await cookieFor(maintainer.id);
    const page = await run(() =>
      maintainerRoute.loader({
        request: request(`/nominations/${id}`, { cookie }),
        params: { id: String(id) },
        context,
      }),
    );
    expect(page.status).toBe(200);
    expect((page.value as { nomination: { draft: { title: string } } }).nomination.draft.title).toBe(draft.title);

    const accepted = await post(maintainerRoute, `/nominations/${id}`, id, cookie, { intent: "accept" });
    expect(accepted.status).toBe(302);
    const [call] = await callsOf(pkg.id);
    expect(accepted.location).toBe(`/calls/${call!.id}?posted=1`);
    expect(call).toMatchObject({ title: draft.title, postedByUserId: maintainer.id, communityNomination: false });
    expect(await nominations.getNomination(id)).toMatchObject({
      status: "published",
      publishedAs: "maintainer",
      answeredByUserId: maintainer.id,
      callId: call!.id,
    });
    expect(
      standIn
        .sent()
        .filter((e) => e.to[0] === nominator.email)
        .map((e) => e.subject),
    ).toEqual([`Your nomination of ${pkg.name}: a call is published`]);
    // A second press publishes nothing more.
    expect((await post(maintainerRoute, `/nominations/${id}`, id, cookie, { intent: "accept" })).status).toBe(409);
    expect(await callsOf(pkg.id)).toHaveLength(1);
  });

  test("the maintainer's decline records the reason, publishes nothing and tells the nominator and the working group", async () => {
    const { maintainer, nominator, pkg, id } = await nominated("declines");
    const roadie = await makeRoadie("declines-roadie");
    const admin = await makeAdmin("declines-admin");
    await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(roadie.id), { intent: "propose", ...draft });
    standIn.reset();
    const cookie = await cookieFor(maintainer.id);
    const empty = await post(maintainerRoute, `/nominations/${id}`, id, cookie, { intent: "decline" });
    expect(empty.status).toBe(400);
    const declined = await post(maintainerRoute, `/nominations/${id}`, id, cookie, {
      intent: "decline",
      reason: "We have a new co-maintainer since last week.",
    });
    expect(declined.status).toBe(302);
    expect(await callsOf(pkg.id)).toEqual([]);
    expect(await nominations.getNomination(id)).toMatchObject({
      status: "declined",
      declineReason: "We have a new co-maintainer since last week.",
      answeredByUserId: maintainer.id,
    });
    const to = (email: string | null) => standIn.sent().filter((e) => e.to[0] === email);
    expect(to(nominator.email)[0]!.html).toContain("We have a new co-maintainer since last week.");
    expect(to(roadie.email)[0]!.subject).toMatch(/declined by its maintainer/);
    expect(to(admin.email)[0]!.subject).toMatch(/declined by its maintainer/);
    // A decline is an answer: it does not turn into a community nomination, even after 14 days.
    const later = await nominations.publishAsCommunityNomination(
      { id: admin.id, isAdmin: true },
      id,
      callValue,
      Date.now() + 30 * DAY,
    );
    expect(later.ok).toBe(false);
    expect(await callsOf(pkg.id)).toEqual([]);
  });
});

describe("community nominations", () => {
  test("with no verified maintainer, an admin publishes a community nomination: labelled, posted by nobody", async () => {
    const { pkg, id } = await nominated("orphan", { withMaintainer: false });
    const roadie = await makeRoadie("orphan-roadie");
    const admin = await makeAdmin("orphan-admin");
    // A roadie who is not a working-group admin cannot.
    const refused = await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(roadie.id), {
      intent: "community",
      ...draft,
    });
    expect(refused.status).toBe(403);
    expect(await callsOf(pkg.id)).toEqual([]);

    const published = await post(adminRoute, `/admin/nominations/${id}`, id, await cookieFor(admin.id), {
      intent: "community",
      ...draft,
    });
    expect(published.status).toBe(302);
    const [call] = await callsOf(pkg.id);
    expect(published.location).toBe(`/calls/${call!.id}`);
    expect(call).toMatchObject({ postedByUserId: null, communityNomination: true, title: draft.title });
    expect(await nominations.getNomination(id)).toMatchObject({ status: "published", publishedAs: "community" });

    // The call page and the list say so.
    const page = await run(() =>
      callRoute.loader({ request: request(`/calls/${call!.id}`), params: { id: String(call!.id) }, context }),
    );
    expect((page.value as { call: { communityNomination: boolean } }).call.communityNomination).toBe(true);
    const listed = (await listCalls({ package: pkg.normalizedName })).calls.find((c) => c.id === call!.id);
    expect(listed?.communityNomination).toBe(true);
  });

  test("after 14 days without a maintainer's answer, it may go out as a community nomination, not before", async () => {
    const { maintainer, pkg, id } = await nominated("silent");
    const admin = await makeAdmin("silent-admin");
    const t0 = Date.now();
    const asAdmin = { id: admin.id, isAdmin: true };
    expect((await nominations.proposeToMaintainers(admin.id, id, callValue, t0)).ok).toBe(true);
    const tooSoon = await nominations.publishAsCommunityNomination(asAdmin, id, callValue, t0 + 13 * DAY);
    expect(tooSoon).toEqual({ ok: false, reason: "maintainer-reachable" });
    expect(await callsOf(pkg.id)).toEqual([]);
    const result = await nominations.publishAsCommunityNomination(asAdmin, id, callValue, t0 + 14 * DAY);
    expect(result.ok).toBe(true);
    const [call] = await callsOf(pkg.id);
    expect(call).toMatchObject({ postedByUserId: null, communityNomination: true });
    // The silent maintainer can no longer accept it into their name.
    expect((await nominations.acceptNomination(maintainer, id)).ok).toBe(false);
  });
});
