// Roadies and the working group: votes, terms, the account-age gate, transfer load spreading,
// suspension, audit entries and the admin pages' permissions.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { APP, context } from "#tests/support/routes.ts";
import { startResendStandIn, type ResendStandIn } from "#tests/fakes/resend.ts";
import { createGitHubStandIn } from "#tests/fakes/github.ts";

const API_KEY = "re_test_people_0123456789";
const standIn: ResendStandIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
const github = createGitHubStandIn({
  identities: [
    {
      id: 880001,
      login: "suspended-signer",
      name: "Suspended Signer",
      createdAt: "2015-03-01T00:00:00Z",
      emails: [{ email: "suspended-signer@example.org", primary: true, verified: true }],
    },
  ],
});
const githubServer = await github.listen();
process.env.GITHUB_OAUTH_URL = githubServer.url;
process.env.GITHUB_API_URL = `${githubServer.url}/api`;
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq, and } = await import("drizzle-orm");
const roadies = {
  ...(await import("#app/models/people/roadies.server.ts")),
  ...(await import("#app/models/people/applications.server.ts")),
  ...(await import("#app/models/people/votes.server.ts")),
  ...(await import("#app/models/people/terms.server.ts")),
  ...(await import("#app/models/people/admins.server.ts")),
};
const people = {
  ...(await import("#app/models/people/profile.server.ts")),
  ...(await import("#app/models/people/suspension.server.ts")),
  ...(await import("#app/models/people/account.server.ts")),
};
const moderation = await import("#app/models/moderation/hides.server.ts");
const transfers = await import("#app/models/requests/transfers.server.ts");
const { createSession, validateSessionToken, sessionCookie } = await import("#app/models/people/sessions.server.ts");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
emailRetryPolicy.baseDelayMs = 1;

afterAll(async () => {
  await standIn.close();
  await githubServer.close();
});
beforeEach(() => standIn.reset());

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 10, 12);
let nextGithubId = 7000;

async function makeUser(
  login: string,
  opts: { githubCreatedAt?: number | null; isAdmin?: boolean; email?: boolean } = {},
) {
  const [user] = await db()
    .insert(schema.users)
    .values({
      githubId: nextGithubId++,
      login,
      name: login.toUpperCase(),
      email: opts.email === false ? null : `${login}@example.org`,
      githubCreatedAt: opts.githubCreatedAt === undefined ? T0 - 1000 * DAY : opts.githubCreatedAt,
      adminFlag: opts.isAdmin ?? false,
      createdAt: T0,
      updatedAt: T0,
    })
    .returning();
  // Admin rights come from a current working-group stint: an admin here is a member from before T0
  // until a year after the real clock (some checks read it).
  if (opts.isAdmin)
    await db()
      .insert(schema.memberships)
      .values({
        userId: user!.id,
        role: "working_group",
        status: "active",
        startedAt: T0 - DAY,
        termEndsAt: Date.now() + 365 * DAY,
      });
  return { ...user!, isAdmin: Boolean(opts.isAdmin) };
}

async function makeMembers(prefix: string, n: number, role: "working_group" | "roadie" = "working_group", start = T0) {
  const users = [];
  for (let i = 0; i < n; i++) {
    const user = await makeUser(`${prefix}${i}`);
    await roadies.membershipStart(user.id, role, start);
    users.push(user);
  }
  return users;
}

/** Ends every active stint of a role, so each test starts with a known electorate. */
async function clearRole(role: "working_group" | "roadie") {
  await db()
    .update(schema.memberships)
    .set({ status: "removed", endedAt: 0 })
    .where(and(eq(schema.memberships.role, role), eq(schema.memberships.status, "active")));
}

async function apply(login: string, now = T0) {
  const user = await makeUser(login);
  const result = await roadies.applyAsRoadie(
    user,
    { motivation: "I have helped move three packages.", evidence: [] },
    now,
  );
  if (!result.ok) throw new Error(`could not apply: ${result.reason}`);
  return { user, proposalId: result.proposalId };
}

const request = (path: string, init: RequestInit & { token?: string } = {}) =>
  new Request(`${APP}${path}`, {
    ...init,
    headers: { ...(init.token ? { Cookie: `${sessionCookie()}=${init.token}` } : {}), ...(init.headers ?? {}) },
  });

describe("majority of active working-group members", () => {
  beforeEach(async () => {
    await clearRole("working_group");
  });

  test("majorityOf is 50% + 1", () => {
    expect([1, 2, 3, 4, 5, 6].map(roadies.majorityOf)).toEqual([1, 2, 2, 3, 3, 4]);
  });

  test("with 3 active members, 2 approvals approve, and the applicant is emailed once", async () => {
    const [a, b] = await makeMembers("three", 3);
    const { user, proposalId } = await apply("applicant3");
    const first = await roadies.castVote(a!.id, proposalId, "approve", null, T0 + 1);
    expect(first.ok && first.decided).toBe(false);
    const second = await roadies.castVote(b!.id, proposalId, "approve", "Great work", T0 + 2);
    expect(second.ok && second.decided).toBe(true);
    expect(await roadies.isActiveRoadie(user.id, T0 + 3)).toBe(true);
    // Deciding again (e.g. the job re-checks) sends nothing new.
    await roadies.settleProposal(proposalId, T0 + 4);
    const mails = standIn.sent().filter((m) => m.to.includes("applicant3@example.org"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("You are now a roadie");
  });

  test("with 4 active members, 2 approvals are not enough; 3 are", async () => {
    const [a, b, c] = await makeMembers("four", 4);
    const { user, proposalId } = await apply("applicant4");
    await roadies.castVote(a!.id, proposalId, "approve", null, T0 + 1);
    const two = await roadies.castVote(b!.id, proposalId, "approve", null, T0 + 2);
    expect(two.ok && two.tally).toMatchObject({ activeMembers: 4, needed: 3, approvals: 2, outcome: null });
    expect(await roadies.isActiveRoadie(user.id, T0 + 3)).toBe(false);
    const three = await roadies.castVote(c!.id, proposalId, "approve", null, T0 + 3);
    expect(three.ok && three.decided).toBe(true);
    expect(await roadies.isActiveRoadie(user.id, T0 + 4)).toBe(true);
  });

  test("abstentions count towards neither side, and rejections reach a majority too", async () => {
    const [a, b, c, d] = await makeMembers("abst", 4);
    const { user, proposalId } = await apply("applicant-abst");
    await roadies.castVote(a!.id, proposalId, "abstain", null, T0 + 1);
    await roadies.castVote(b!.id, proposalId, "approve", null, T0 + 2);
    const t = await roadies.castVote(c!.id, proposalId, "reject", null, T0 + 3);
    expect(t.ok && t.tally).toMatchObject({ approvals: 1, rejections: 1, abstentions: 1, outcome: null });
    // b changes their mind: a vote can be replaced while the vote is open.
    await roadies.castVote(b!.id, proposalId, "reject", null, T0 + 4);
    const last = await roadies.castVote(d!.id, proposalId, "reject", null, T0 + 5);
    expect(last.ok && last.tally.outcome).toBe("rejected");
    expect(await roadies.isActiveRoadie(user.id, T0 + 6)).toBe(false);
    const mails = standIn.sent().filter((m) => m.to.includes("applicant-abst@example.org"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/rejected/);
  });

  test("a member whose term lapsed mid-vote no longer counts, and the smaller majority decides", async () => {
    const [a, b, c] = await makeMembers("lapse", 3);
    // d's term ends soon after the vote opens.
    const d = await makeUser("lapse-short");
    await roadies.membershipStart(d.id, "working_group", T0 - 6 * 30 * DAY);
    const dEnd = roadies.addMonths(T0 - 6 * 30 * DAY, 6);
    const { user, proposalId } = await apply("applicant-lapse", dEnd - 2 * DAY);
    await roadies.castVote(d.id, proposalId, "approve", null, dEnd - DAY);
    const before = await roadies.castVote(a!.id, proposalId, "approve", null, dEnd - DAY + 1);
    // 4 active members: 2 approvals are not a majority.
    expect(before.ok && before.tally).toMatchObject({ activeMembers: 4, needed: 3, approvals: 2, outcome: null });
    // d's term lapses: 3 members remain, and d's vote no longer counts: still 1 of 2 needed.
    await roadies.runTermsJob(dEnd + 1);
    expect(await roadies.tallyProposal(proposalId, dEnd + 2)).toMatchObject({
      activeMembers: 3,
      needed: 2,
      approvals: 1,
    });
    expect(await roadies.isActiveRoadie(user.id, dEnd + 2)).toBe(false);
    // A lapsed member cannot vote any more.
    expect(await roadies.castVote(d.id, proposalId, "approve", null, dEnd + 3)).toEqual({
      ok: false,
      reason: "not-member",
    });
    const decided = await roadies.castVote(b!.id, proposalId, "approve", null, dEnd + 4);
    expect(decided.ok && decided.decided).toBe(true);
    void c;
  });

  test("a shrinking electorate can decide a vote without a new ballot", async () => {
    const [a, b, c, d] = await makeMembers("shrink", 4);
    const { user, proposalId } = await apply("applicant-shrink");
    await roadies.castVote(a!.id, proposalId, "approve", null, T0 + 1);
    await roadies.castVote(b!.id, proposalId, "approve", null, T0 + 2);
    expect(await roadies.isActiveRoadie(user.id, T0 + 3)).toBe(false);
    // d steps down: 3 members, 2 approvals are now a majority.
    await roadies.stepDown(d!.id, "working_group", T0 + 4);
    expect(await roadies.isActiveRoadie(user.id, T0 + 5)).toBe(true);
    void c;
  });

  test("removal of a roadie needs a majority of members too", async () => {
    const [a, b] = await makeMembers("rem", 3);
    const target = await makeUser("roadie-to-remove");
    await roadies.membershipStart(target.id, "roadie", T0);
    const proposed = await roadies.proposeChange(
      { id: a!.id },
      "roadie_removal",
      target.id,
      "Inactive for a year",
      T0 + 1,
    );
    expect(proposed.ok).toBe(true);
    if (!proposed.ok) return;
    await roadies.castVote(a!.id, proposed.proposalId, "approve", null, T0 + 2);
    expect(await roadies.isActiveRoadie(target.id, T0 + 3)).toBe(true);
    await roadies.castVote(b!.id, proposed.proposalId, "approve", null, T0 + 4);
    expect(await roadies.isActiveRoadie(target.id, T0 + 5)).toBe(false);
    // History is kept.
    const history = await roadies.listMemberships(target.id);
    expect(history.map((m) => m.status)).toEqual(["removed"]);
  });

  test("only admins invite; a non-member cannot vote or propose", async () => {
    const [member] = await makeMembers("inv", 1);
    const outsider = await makeUser("outsider-inv");
    const invitee = await makeUser("invitee");
    expect(await roadies.proposeChange({ id: member!.id }, "wg_invitation", invitee.id, "Helpful person", T0)).toEqual({
      ok: false,
      reason: "not-allowed",
    });
    expect(await roadies.proposeChange({ id: outsider.id }, "roadie_removal", invitee.id, "x".repeat(20), T0)).toEqual({
      ok: false,
      reason: "not-allowed",
    });
    const admin = await makeUser("admin-inv", { isAdmin: true });
    const invited = await roadies.proposeChange({ id: admin.id }, "wg_invitation", invitee.id, "Helpful person", T0);
    expect(invited.ok).toBe(true);
    if (!invited.ok) return;
    expect(await roadies.castVote(outsider.id, invited.proposalId, "approve", null, T0 + 1)).toEqual({
      ok: false,
      reason: "not-member",
    });
    // The admin is a member too (admin rights come from membership): two members, two approvals.
    await roadies.castVote(member!.id, invited.proposalId, "approve", null, T0 + 2);
    const vote = await roadies.castVote(admin.id, invited.proposalId, "approve", null, T0 + 2);
    expect(vote.ok && vote.decided).toBe(true);
    expect(await roadies.isWorkingGroupMember(invitee.id, T0 + 3)).toBe(true);
  });
});

describe("terms", () => {
  test("reminders at 14 and 3 days, each once; the one-click link renews once; unrenewed terms lapse", async () => {
    // The confirmation page reads the real clock: this term ends in about 5 days from now.
    const start = roadies.addMonths(Date.now(), -6) + 5 * DAY;
    const roadie = await makeUser("term-roadie");
    await roadies.membershipStart(roadie.id, "roadie", start);
    const end = roadies.addMonths(start, 6);
    const mine = () => standIn.sent().filter((m) => m.to.includes("term-roadie@example.org"));

    await roadies.runTermsJob(end - 15 * DAY);
    expect(mine()).toHaveLength(0);
    await roadies.runTermsJob(end - 14 * DAY);
    await roadies.runTermsJob(end - 13 * DAY);
    expect(mine()).toHaveLength(1);
    expect(mine()[0]!.subject).toBe("Your roadie term ends in 14 days");
    await roadies.runTermsJob(end - 3 * DAY);
    await roadies.runTermsJob(end - 2 * DAY);
    expect(mine()).toHaveLength(2);
    expect(mine()[1]!.subject).toBe("Your roadie term ends in 3 days");

    const link = /href="([^"]*\/terms\/renew\?token=[^"]+)"/.exec(mine()[1]!.html!)![1]!.replaceAll("&amp;", "&");
    const token = decodeURIComponent(new URL(link).searchParams.get("token")!);
    // GET shows a confirmation and changes nothing.
    const renewRoute = await import("#app/routes/terms.renew.tsx");
    const shown = (await renewRoute.loader({
      request: request(`/terms/renew?token=${encodeURIComponent(token)}`),
      params: {},
      context,
    })) as {
      data: { state: string };
    };
    expect(shown.data.state).toBe("ready");
    const renewed = await roadies.renewWithToken(token, end - DAY);
    expect(renewed).toMatchObject({ ok: true, termEndsAt: roadies.addMonths(end, 6) });
    expect(await roadies.renewWithToken(token, end - DAY + 1)).toEqual({ ok: false });
    // Still a roadie after the first term's end.
    expect(await roadies.isActiveRoadie(roadie.id, end + DAY)).toBe(true);

    // A second roadie does not renew: the term lapses, the badge goes, the history stays.
    const other = await makeUser("term-lapser");
    await roadies.membershipStart(other.id, "roadie", start);
    expect(await roadies.isActiveRoadie(other.id, end + 1)).toBe(false);
    const result = await roadies.runTermsJob(end + 1);
    expect(result.lapsed).toBeGreaterThanOrEqual(1);
    expect((await roadies.listMemberships(other.id))[0]!.status).toBe("lapsed");
    expect(await people.badgesFor(other, end + 2)).not.toContain("roadie");
  });

  test("a forged or expired renewal token renews nothing", async () => {
    expect(await roadies.renewWithToken("nonsense", T0)).toEqual({ ok: false });
    const user = await makeUser("term-forge");
    await roadies.membershipStart(user.id, "roadie", T0);
    const end = roadies.addMonths(T0, 6);
    const token = roadies.renewalToken(1, end);
    expect(await roadies.renewWithToken(`${token}x`, T0)).toEqual({ ok: false });
    const own = (await roadies.listMemberships(user.id))[0]!;
    expect(await roadies.renewWithToken(roadies.renewalToken(own.id, own.termEndsAt), end + 1)).toEqual({ ok: false });
  });

  test("stepping down ends the term at once without a vote", async () => {
    const user = await makeUser("stepper");
    await roadies.membershipStart(user.id, "roadie", T0);
    expect(await roadies.stepDown(user.id, "roadie", T0 + 1)).toEqual({ ok: true, ended: true });
    expect(await roadies.isActiveRoadie(user.id, T0 + 2)).toBe(false);
    expect((await roadies.listMemberships(user.id))[0]!.status).toBe("stepped_down");
  });
});

describe("applying", () => {
  test("GitHub accounts younger than 90 days are told when they can apply", async () => {
    const young = await makeUser("young", { githubCreatedAt: T0 - 30 * DAY });
    const check = await roadies.checkCanApply(young, T0);
    expect(check).toEqual({ ok: false, reason: "too-young", canApplyFrom: T0 + 60 * DAY });
    expect((await roadies.applyAsRoadie(young, { motivation: "x".repeat(50), evidence: [] }, T0)).ok).toBe(false);
    expect((await roadies.checkCanApply(young, T0 + 60 * DAY)).ok).toBe(true);
    const unknown = await makeUser("unknown-age", { githubCreatedAt: null });
    expect((await roadies.checkCanApply(unknown, T0)).ok).toBe(false);
  });

  test("the apply page shows the date, and a second application waits for the first", async () => {
    const young = await makeUser("young-page", { githubCreatedAt: Date.now() - 10 * DAY });
    const { token } = await createSession(young.id, null);
    const route = await import("#app/routes/roadies.apply.tsx");
    const loaded = (await route.loader({ request: request("/roadies/apply", { token }), params: {}, context })) as {
      check: { reason: string; canApplyFrom: number };
    };
    expect(loaded.check.reason).toBe("too-young");

    const old = await makeUser("apply-page");
    const session = await createSession(old.id, null);
    const form = new URLSearchParams({ motivation: "short" });
    const bad = (await route.action({
      request: request("/roadies/apply", { method: "POST", body: form, token: session.token }),
      params: {},
      context,
    })) as {
      init: { status: number };
      data: { error: Record<string, string[]> };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data.error.motivation?.[0]).toMatch(/at least/);
    const good = new URLSearchParams({
      motivation: "I have shepherded two transfers and triage weekly.",
      evidence: "https://github.com/a/b/issues/1",
    });
    const sent = (await route.action({
      request: request("/roadies/apply", { method: "POST", body: good, token: session.token }),
      params: {},
      context,
    })) as Response;
    expect(sent.status).toBe(302);
    expect(await roadies.checkCanApply(old)).toMatchObject({ ok: false, reason: "pending" });
  });
});

describe("transfers", () => {
  async function makeTransferCall(
    name: string,
    maintainer: { id: number; login: string },
    successor: { id: number },
    now: number,
  ) {
    const [pkg] = await db()
      .insert(schema.packages)
      .values({ name, normalizedName: name, createdAt: now, updatedAt: now })
      .returning();
    await db().insert(schema.packageMaintainers).values({
      packageId: pkg!.id,
      userId: maintainer.id,
      githubLogin: maintainer.login,
      verifiedAt: now,
      createdAt: now,
    });
    const [call] = await db()
      .insert(schema.calls)
      .values({
        packageId: pkg!.id,
        kind: "new-maintainer",
        title: `Take over ${name}`,
        description: "Looking for a new home for this package.",
        hoursPerWeek: 2,
        urgency: "normal",
        expiresOn: "2027-01-01",
        postedByUserId: maintainer.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call!.id, userId: successor.id, message: "I'd love to.", createdAt: now, updatedAt: now })
      .returning();
    // Accepting the successor (as the calls area does) starts the checklist.
    await db()
      .update(schema.callInterests)
      .set({ status: "accepted", decidedAt: now, updatedAt: now })
      .where(eq(schema.callInterests.id, interest!.id));
    const transfer = await db().select().from(schema.transfers).where(eq(schema.transfers.callId, call!.id)).get();
    return { pkg: pkg!, call: call!, transferId: transfer!.id };
  }

  // Ticking, confirming and completing (each party for itself, GitHub's check) are in transfers.test.ts.
  test("accepting a successor starts a checklist with each step's party named", async () => {
    const maintainer = await makeUser("tr-maint");
    const successor = await makeUser("tr-succ");
    const roadie = await makeUser("tr-roadie");
    await roadies.membershipStart(roadie.id, "roadie", T0);
    const { transferId } = await makeTransferCall("django-transfer-one", maintainer, successor, T0);
    expect(await transfers.volunteerToShepherd(roadie.id, transferId, T0 + 1)).toBe(true);
    const detail = (await transfers.getTransfer(transferId))!;
    expect(detail).toMatchObject({ status: "in_progress", roadieUserId: roadie.id, successorUserId: successor.id });
    expect(transfers.partiesOf(maintainer, detail)).toEqual(["maintainer"]);
    expect(transfers.partiesOf(successor, detail)).toEqual(["successor"]);
    expect(transfers.partiesOf(roadie, detail)).toEqual(["roadie"]);
    expect(detail.steps.every((s) => s.doneAt === null)).toBe(true);
  });

  test("after 7 days without a roadie, the least-loaded roadie is asked, then 3 days later all roadies", async () => {
    await clearRole("roadie");
    const [busy, free] = [await makeUser("load-busy"), await makeUser("load-free")];
    await roadies.membershipStart(busy.id, "roadie", T0);
    await roadies.membershipStart(free.id, "roadie", T0);
    const maintainer = await makeUser("load-maint");
    // busy already shepherds one transfer.
    const first = await makeTransferCall("django-load-a", maintainer, await makeUser("load-s1"), T0);
    await transfers.volunteerToShepherd(busy.id, first.transferId, T0);
    const second = await makeTransferCall("django-load-b", maintainer, await makeUser("load-s2"), T0);

    expect(await transfers.offerUnshepherdedTransfers(T0 + 6 * DAY)).toEqual({ offered: 0, offeredToAll: 0 });
    expect(await transfers.offerUnshepherdedTransfers(T0 + 7 * DAY)).toEqual({ offered: 1, offeredToAll: 0 });
    expect(standIn.sent().map((m) => m.to[0])).toEqual(["load-free@example.org"]);
    // Once only.
    expect(await transfers.offerUnshepherdedTransfers(T0 + 8 * DAY)).toEqual({ offered: 0, offeredToAll: 0 });
    expect(await transfers.offerUnshepherdedTransfers(T0 + 10 * DAY)).toEqual({ offered: 0, offeredToAll: 1 });
    expect(
      standIn
        .sent()
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(["load-busy@example.org", "load-free@example.org", "load-free@example.org"]);
    const row = await db().select().from(schema.transfers).where(eq(schema.transfers.id, second.transferId)).get();
    expect(row).toMatchObject({ offeredToUserId: free.id });
  });

  test("the transfer page is 404 for outsiders and for unknown ids", async () => {
    const outsider = await makeUser("tr-outsider");
    const { token } = await createSession(outsider.id, null);
    const route = await import("#app/routes/transfers.$id.tsx");
    for (const id of ["1", "999999", "abc"]) {
      const thrown = await route
        .loader({ request: request(`/transfers/${id}`, { token }), params: { id }, context })
        .catch((e: unknown) => e);
      expect((thrown as Response).status).toBe(404);
    }
  });
});

describe("suspension and moderation", () => {
  test("suspending ends sessions at once and refuses them afterwards; lifting it allows sign-in again", async () => {
    const admin = await makeUser("mod-admin", { isAdmin: true });
    const person = await makeUser("mod-person");
    const { token } = await createSession(person.id, null);
    expect(await validateSessionToken(token)).not.toBeNull();
    await people.suspendAccount(person.id, "Spam calls", admin.id);
    expect(await validateSessionToken(token)).toBeNull();
    expect(await people.isSuspended(person)).toBe(true);
    // A session made later (e.g. racing the suspension) is refused too.
    const late = await createSession(person.id, null);
    expect(await validateSessionToken(late.token)).toBeNull();
    // The profile is gone for everyone but admins and the person.
    expect(await people.getPublicProfile("mod-person", null)).toBeNull();
    expect(await people.getPublicProfile("mod-person", admin)).not.toBeNull();
    await people.unsuspendAccount(person.id, admin.id);
    const again = await createSession(person.id, null);
    expect(await validateSessionToken(again.token)).not.toBeNull();
  });

  test("a suspended account cannot sign in: the callback refuses it and makes no session", async () => {
    const { action: startSignIn } = await import("#app/routes/auth.github.tsx");
    const { loader: callback } = await import("#app/routes/auth.github_.callback.tsx");
    const signIn = async () => {
      const started = (await startSignIn({
        request: new Request(`${APP}/auth/github`, {
          method: "POST",
          body: new URLSearchParams({ next: "/" }),
        }),
        params: {},
        context,
      })) as Response;
      const cookie = started.headers.get("set-cookie")!.split(";")[0]!;
      const authorize = new URL(started.headers.get("location")!);
      authorize.pathname += "/approve";
      authorize.searchParams.set("login", "suspended-signer");
      const back = await fetch(authorize, { redirect: "manual" });
      return callback({
        request: new Request(back.headers.get("location")!, { headers: { Cookie: cookie } }),
        params: {},
        context,
      }).catch((e: unknown) => e);
    };
    const first = (await signIn()) as Response;
    expect(first.status).toBe(302);
    const user = (await db().select().from(schema.users).where(eq(schema.users.login, "suspended-signer")).get())!;
    const admin = await makeUser("suspender", { isAdmin: true });
    await people.suspendAccount(user.id, "Spam", admin.id);
    expect(await db().select().from(schema.sessions).where(eq(schema.sessions.userId, user.id)).all()).toHaveLength(0);
    const refused = (await signIn()) as { data: { problem: string }; init: { status: number } };
    expect(refused.init.status).toBe(403);
    expect(refused.data.problem).toBe("suspended");
    expect(await db().select().from(schema.sessions).where(eq(schema.sessions.userId, user.id)).all()).toHaveLength(0);
  });

  test("hidden and private profiles answer 404 to those who may not see them", async () => {
    const admin = await makeUser("vis-admin", { isAdmin: true });
    const person = await makeUser("vis-person");
    const viewer = await makeUser("vis-viewer");
    const base = {
      timezone: "Europe/Paris",
      availabilityHours: 3,
      rolesWanted: ["mentor" as const],
      djangoVersions: ["5.2"],
      categories: [],
      openToTakeover: true,
      bio: "Hello <script>alert(1)</script> **world**",
      skills: { testing: "expert" as const },
    };
    await people.saveProfile(person.id, { ...base, visibility: "users" });
    expect(await people.getPublicProfile("vis-person", null)).toBeNull();
    const seen = await people.getPublicProfile("vis-person", viewer);
    expect(seen?.bioHtml).toContain("<strong>world</strong>");
    expect(seen?.bioHtml).not.toContain("<script>");
    expect(seen?.skills).toEqual([{ skillId: "testing", name: "Testing", level: "expert" }]);
    await people.saveProfile(person.id, { ...base, visibility: "hidden" });
    expect(await people.getPublicProfile("vis-person", viewer)).toBeNull();
    expect(await people.getPublicProfile("vis-person", person)).not.toBeNull();
    await people.saveProfile(person.id, { ...base, visibility: "public" });
    expect(await people.getPublicProfile("vis-person", null)).not.toBeNull();
    await moderation.hideContent("profile", person.id, "Offensive bio", admin.id);
    expect(await people.getPublicProfile("vis-person", null)).toBeNull();
    await moderation.unhideContent("profile", person.id, admin.id);
    expect(await people.getPublicProfile("vis-person", null)).not.toBeNull();
  });
});

describe("audit log", () => {
  test("every privileged action is written to the audit log", async () => {
    const admin = await makeUser("audit-admin", { isAdmin: true });
    const [member] = await makeMembers("audit-member", 1);
    expect(await roadies.grantAdmin(member!.id, admin.id, T0)).toEqual({ ok: true });
    const applicant = await makeUser("audit-applicant");
    const applied = await roadies.applyAsRoadie(applicant, { motivation: "x".repeat(50), evidence: [] }, T0);
    if (applied.ok) await roadies.castVote(member!.id, applied.proposalId, "abstain", null, T0 + 1);
    await moderation.hideContent("profile", applicant.id, "Test", admin.id);
    await moderation.unhideContent("profile", applicant.id, admin.id);
    await people.suspendAccount(applicant.id, "Test", admin.id);
    await people.unsuspendAccount(applicant.id, admin.id);
    expect(await roadies.revokeAdmin(member!.id, admin.id, T0 + 2)).toEqual({ ok: true });
    const rows = await db().select().from(schema.auditLog).all();
    const actions = rows.map((r) => r.action);
    for (const action of [
      "admin.grant",
      "proposal.vote",
      "profile.hide",
      "profile.unhide",
      "account.suspend",
      "account.unsuspend",
      "admin.revoke",
    ]) {
      expect(actions).toContain(action);
    }
    expect(rows.find((r) => r.action === "account.suspend" && r.objectId === String(applicant.id))).toMatchObject({
      actorUserId: admin.id,
      objectType: "user",
      objectId: String(applicant.id),
    });
  });
});

describe("admin pages refuse people who are not in the working group", () => {
  const routes = [
    ["admin._index", "/admin"],
    ["admin.roadies", "/admin/roadies"],
    ["admin.working-group", "/admin/working-group"],
    ["admin.moderation", "/admin/moderation"],
    ["admin.audit", "/admin/audit"],
    ["admin.nominations._index", "/admin/nominations"],
    ["admin.transfers", "/admin/transfers"],
  ] as const;

  test.each(routes)(
    "%s refuses a signed-in non-member (loader and action) and sends visitors to sign in",
    async (file, path) => {
      const outsider = await makeUser(`outsider-${file.replaceAll(".", "-")}`);
      const { token } = await createSession(outsider.id, null);
      const route = (await import(`#app/routes/${file}.tsx`)) as {
        loader: (args: unknown) => Promise<unknown>;
        action?: (args: unknown) => Promise<unknown>;
      };
      const denied = await route
        .loader({ request: request(path, { token }), params: {}, context })
        .catch((e: unknown) => e);
      expect((denied as Response).status).toBe(403);
      if (route.action) {
        const body = new URLSearchParams({
          intent: "suspend",
          login: "x",
          reason: "whatever reason",
          proposalId: "1",
          choice: "approve",
        });
        const post = await route
          .action({ request: request(path, { method: "POST", body, token }), params: {}, context })
          .catch((e: unknown) => e);
        expect((post as Response).status).toBe(403);
      }
      const anonymous = await route.loader({ request: request(path), params: {}, context }).catch((e: unknown) => e);
      expect((anonymous as Response).status).toBe(302);
    },
  );

  test("moderation is for admins only, even for working-group members", async () => {
    const member = await makeUser("wg-not-admin");
    await roadies.membershipStart(member.id, "working_group", Date.now());
    const { token } = await createSession(member.id, null);
    const route = await import("#app/routes/admin.moderation.tsx");
    const denied = await route
      .loader({ request: request("/admin/moderation", { token }), params: {}, context })
      .catch((e: unknown) => e);
    expect((denied as Response).status).toBe(403);
  });
});

describe("account", () => {
  test("export holds the person's data without secrets; deletion keeps calls and anonymous votes", async () => {
    const [voter] = await makeMembers("del-voter", 1, "working_group", Date.now());
    const other = await makeUser("del-other");
    await roadies.membershipStart(other.id, "working_group", Date.now());
    await roadies.membershipStart((await makeUser("del-third")).id, "working_group", Date.now());
    const applicant = await makeUser("del-applicant");
    const applied = await roadies.applyAsRoadie(applicant, { motivation: "x".repeat(50), evidence: [] });
    if (!applied.ok) throw new Error("apply failed");
    await roadies.castVote(voter!.id, applied.proposalId, "approve", null);

    const exported = await people.exportAccount(voter!.id);
    expect(exported?.account.login).toBe("del-voter0");
    expect(JSON.stringify(exported)).not.toContain("githubTokenEnc");
    expect(exported?.votes).toHaveLength(1);

    const { token } = await createSession(voter!.id, null);
    const route = await import("#app/routes/settings.account.tsx");
    const wrong = (await route.action({
      request: request("/settings/account", {
        method: "POST",
        body: new URLSearchParams({ intent: "delete", confirm: "nope" }),
        token,
      }),
      params: {},
      context,
    })) as { init: { status: number } };
    expect(wrong.init.status).toBe(400);
    const done = (await route.action({
      request: request("/settings/account", {
        method: "POST",
        body: new URLSearchParams({ intent: "delete", confirm: "del-voter0" }),
        token,
      }),
      params: {},
      context,
    })) as Response;
    expect(done.status).toBe(302);
    expect(await db().select().from(schema.users).where(eq(schema.users.id, voter!.id)).get()).toBeUndefined();
    const votes = await db()
      .select()
      .from(schema.trustVotes)
      .where(eq(schema.trustVotes.proposalId, applied.proposalId))
      .all();
    expect(votes).toHaveLength(1);
    expect(votes[0]!.voterUserId).toBeNull();
  });
});

describe("nominations", () => {
  test("a signed-in person nominates a package; bad input comes back with messages", async () => {
    const user = await makeUser("nominator");
    const { token } = await createSession(user.id, null);
    const route = await import("#app/routes/nominate.tsx");
    const post = (fields: Record<string, string>) =>
      route.action({
        request: request("/nominate", { method: "POST", body: new URLSearchParams(fields), token }),
        params: {},
        context,
      });
    const bad = (await post({ packageName: "django-x", reason: "unmaintained" })) as {
      init: { status: number };
      data: { error: Record<string, string[]> };
    };
    expect(bad.init.status).toBe(400);
    expect(bad.data.error.evidence?.[0]).toMatch(/at least one link/);
    const ok = (await post({
      packageName: "django-x",
      reason: "unmaintained",
      evidence: "https://github.com/x/y/issues/1",
    })) as Response;
    expect(ok.status).toBe(302);
    const { listNominations } = await import("#app/models/calls/nominations.server.ts");
    expect((await listNominations()).map((n) => n.packageName)).toContain("django-x");
  });
});

describe("profile form", () => {
  test("saves skills with levels, roles and the rest; bad input comes back with messages and nothing saved", async () => {
    const user = await makeUser("profile-form");
    const { token } = await createSession(user.id, null);
    const route = await import("#app/routes/settings.profile.tsx");
    const post = (body: URLSearchParams) =>
      route.action({ request: request("/settings/profile", { method: "POST", body, token }), params: {}, context });
    const form = new URLSearchParams([
      ["timezone", "Not/AZone"],
      ["availabilityHours", "500"],
      ["visibility", "public"],
      ["skills.testing", "expert"],
      ["skills.admin", ""],
    ]);
    const bad = (await post(form)) as { init: { status: number }; data: { error: Record<string, string[]> } };
    expect(bad.init.status).toBe(400);
    expect(Object.keys(bad.data.error).sort()).toEqual(["availabilityHours", "timezone"]);
    expect(await people.getProfile(user)).toMatchObject({ skills: [], availabilityHours: null });

    form.set("timezone", "Europe/Paris");
    form.set("availabilityHours", "5");
    form.append("rolesWanted", "mentor");
    form.append("rolesWanted", "co-maintainer");
    form.append("djangoVersions", "5.2");
    form.set("openToTakeover", "on");
    form.set("bio", "Hi **there**");
    const ok = (await post(form)) as Response;
    expect(ok.status).toBe(302);
    const saved = await db().select().from(schema.users).where(eq(schema.users.id, user.id)).get();
    expect(await people.getProfile(saved!)).toMatchObject({
      timezone: "Europe/Paris",
      availabilityHours: 5,
      rolesWanted: ["mentor", "co-maintainer"],
      djangoVersions: ["5.2"],
      openToTakeover: true,
      bio: "Hi **there**",
      skills: [{ skillId: "testing", level: "expert" }],
    });
  });
});
