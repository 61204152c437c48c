// Every event that concerns a person lands in their inbox, once, with a link to its page: a new
// offer of help (to the package's verified maintainers), its answer (to the volunteer), a vote to
// cast and its outcome, a handover step to tick, a request assignment and its approaching
// deadline, a call about to expire, a programme closing on a draft, a decision sent. Each event is
// found where it happens (the models), and telling it twice notifies nobody twice.
import { describe, expect, test } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";
import { APP } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

withResendStandIn("re_test_inbox_triggers_0123456789");
process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
emailRetryPolicy.baseDelayMs = 1;
const { listInbox } = await import("#app/models/inbox/notifications.server.ts");
const { getCall } = await import("#app/models/calls/calls.server.ts");
const { expressInterest, decideInterest } = await import("#app/models/calls/interests.server.ts");
const { sendExpiryReminders } = await import("#app/models/calls/expiry.server.ts");
const { applyAsRoadie, proposeChange } = await import("#app/models/people/applications.server.ts");
const { castVote } = await import("#app/models/people/votes.server.ts");
const { tickStep } = await import("#app/models/requests/transfer-consent.server.ts");
const { transferSteps } = await import("#app/models/requests/transfers.server.ts");
const { shepherdTransfer, transferOfCall } = await import("#app/models/requests/transfer-inbox.server.ts");
const { fileRequest } = await import("#app/models/requests/requests.server.ts");
const { sweepRequests } = await import("#app/models/requests/routing.server.ts");
const { ACK_REMINDER_MS } = await import("#app/models/requests/request-inbox.server.ts");
const programs = await import("#app/models/programs/programs.server.ts");
const applying = await import("#app/models/programs/applications.server.ts");
const decisions = await import("#app/models/programs/decisions.server.ts");
const { remindClosingDrafts } = await import("#app/models/programs/window-inbox.server.ts");
const { postMessage, openThread } = await import("#app/models/conversations/messages.server.ts");
const { subjectOf } = await import("#app/models/conversations/membership.server.ts");
const { setMuted } = await import("#app/models/conversations/threads.server.ts");
const { markThreadRead } = await import("#app/models/inbox/notifications.server.ts");
const { makeAdmin, makeUser, makePackage, makeCall } = await import("#tests/support/factories.ts");

const DAY = 24 * 60 * 60 * 1000;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}`;

/** What a person's inbox shows: kind, title and link of each entry, newest first. */
async function inboxOf(userId: number) {
  return (await listInbox(userId)).entries.map((e) => ({ kind: e.kind, title: e.title, href: e.href }));
}

async function roadie(login: string) {
  const user = await makeUser(login, { githubCreatedAt: 0 });
  await db()
    .insert(schema.memberships)
    .values({ userId: user.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + 365 * DAY });
  return user;
}

describe("calls: offers of help and their answers", () => {
  useFreshDatabase();

  test("a new offer of help reaches every verified maintainer of the package, and no one else", async () => {
    const maint = await makeUser(unique("ci-maint"));
    const comaint = await makeUser(unique("ci-comaint"));
    const invited = await makeUser(unique("ci-invited"));
    const volunteer = await makeUser(unique("ci-vol"), { email: null });
    const pkg = await makePackage(unique("django-ci"), [maint, comaint]);
    await db()
      .insert(schema.packageMaintainers)
      .values({ packageId: pkg.id, userId: invited.id, githubLogin: invited.login, createdAt: 1 });
    const call = await makeCall(pkg.id, maint, { title: "Review our pull requests" });
    const result = await expressInterest(volunteer, (await getCall(call.id))!, { message: "Hi", shareEmail: true });
    expect(result.ok).toBe(true);
    const expected = [
      {
        kind: "interest-new",
        title: `@${volunteer.login} offered to help on “Review our pull requests” (${pkg.name})`,
        href: `/calls/${call.id}/manage`,
      },
    ];
    expect(await inboxOf(maint.id)).toEqual(expected);
    expect(await inboxOf(comaint.id)).toEqual(expected);
    expect(await inboxOf(invited.id)).toEqual([]);
    expect(await inboxOf(volunteer.id)).toEqual([]);
  });

  test("the volunteer hears that their offer was accepted, or declined", async () => {
    const maint = await makeUser(unique("cd-maint"));
    const yes = await makeUser(unique("cd-yes"));
    const no = await makeUser(unique("cd-no"));
    const pkg = await makePackage(unique("django-cd"), [maint]);
    const call = await makeCall(pkg.id, maint, { title: "Cut releases" });
    for (const v of [yes, no])
      await expressInterest(v, (await getCall(call.id))!, { message: "Hi", shareEmail: false });
    const interests = await db()
      .select()
      .from(schema.callInterests)
      .where(eq(schema.callInterests.callId, call.id))
      .all();
    const idOf = (userId: number) => interests.find((i) => i.userId === userId)!.id;
    const actor = { id: maint.id, isAdmin: false };
    await decideInterest(actor, (await getCall(call.id))!, idOf(yes.id), "accepted", "Welcome", 1_000);
    await decideInterest(actor, (await getCall(call.id))!, idOf(no.id), "declined", null, 2_000);
    // An acceptance opens the conversation between them: the notification leads there.
    const thread = (
      await db()
        .select()
        .from(schema.threads)
        .where(eq(schema.threads.subjectId, idOf(yes.id)))
        .all()
    )
      .filter((t) => t.subjectType === "interest")
      .at(0)!;
    expect(await inboxOf(yes.id)).toEqual([
      {
        kind: "interest-accepted",
        title: `Your offer of help on “Cut releases” (${pkg.name}) was accepted`,
        href: `/threads/${thread.id}`,
      },
    ]);
    expect((await listInbox(yes.id)).entries[0]!.threadId).toBe(thread.id);
    expect(await inboxOf(no.id)).toEqual([
      {
        kind: "interest-declined",
        title: `Your offer of help on “Cut releases” (${pkg.name}) was declined`,
        href: "/me/interests",
      },
    ]);
    // Deciding again changes nothing and notifies nobody again.
    expect(await decideInterest(actor, (await getCall(call.id))!, idOf(yes.id), "accepted", null, 3_000)).toBe(false);
    expect(await inboxOf(yes.id)).toHaveLength(1);
  });

  test("the maintainers hear once per expiry date that a call expires within a week", async () => {
    const maint = await makeUser(unique("ce-maint"), { email: null });
    const pkg = await makePackage(unique("django-ce"), [maint]);
    const now = Date.UTC(2031, 4, 1);
    const call = await makeCall(pkg.id, maint, {
      title: "Keep us compatible",
      expiresOn: "2031-05-05",
      createdAt: now - DAY,
    });
    await sendExpiryReminders(now);
    await sendExpiryReminders(now + 1000);
    expect(await inboxOf(maint.id)).toEqual([
      {
        kind: "call-expiring",
        title: `Your call “Keep us compatible” (${pkg.name}) expires on 2031-05-05`,
        href: `/calls/${call.id}/manage`,
      },
    ]);
  });
});

describe("conversations: a new message", () => {
  useFreshDatabase();

  test("a message reaches the other members of the thread, not its author nor who muted it; opening the thread reads it", async () => {
    const maint = await makeUser(unique("mg-maint"));
    const comaint = await makeUser(unique("mg-comaint"));
    const volunteer = await makeUser(unique("mg-vol"));
    const pkg = await makePackage(unique("django-mg"), [maint, comaint]);
    const call = await makeCall(pkg.id, maint, { title: "Write the docs" });
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: volunteer.id, message: "Hi", status: "accepted", createdAt: 1, updatedAt: 1 })
      .returning();
    const path = (await openThread("interest", interest!.id, null))!;
    const thread = (await db()
      .select()
      .from(schema.threads)
      .where(eq(schema.threads.id, Number(path.split("/").pop())))
      .get())!;
    await setMuted(thread.id, comaint.id, true);
    const posted = await postMessage(volunteer, thread, (await subjectOf(thread))!, "Where do I start?");
    if (!posted.ok) throw new Error(posted.message);
    const [entry] = (await listInbox(maint.id)).entries;
    expect(entry).toMatchObject({ kind: "message", href: `${path}#message-${posted.messageId}`, threadId: thread.id });
    expect(entry!.title).toContain("Write the docs");
    expect(await inboxOf(comaint.id)).toEqual([]);
    expect(await inboxOf(volunteer.id)).toEqual([]);
    expect(await markThreadRead(maint.id, thread.id)).toBe(1);
  });
});

describe("transfers: the party who must tick a step", () => {
  useFreshDatabase();

  test("an accepted successor starts a checklist: each party hears of its steps, then both sides are asked to confirm", async () => {
    const maint = await makeUser(unique("tr-maint"));
    const successor = await makeUser(unique("tr-succ"));
    const shepherd = await roadie(unique("tr-roadie"));
    const bystander = await makeUser(unique("tr-other"));
    const pkg = await makePackage(unique("django-tr"), [maint]);
    const call = await makeCall(pkg.id, maint, { kind: "new-maintainer", title: "New owner wanted" });
    await expressInterest(successor, (await getCall(call.id))!, { message: "I can", shareEmail: false });
    const interest = (await db()
      .select()
      .from(schema.callInterests)
      .where(eq(schema.callInterests.callId, call.id))
      .get())!;
    await decideInterest({ id: maint.id, isAdmin: false }, (await getCall(call.id))!, interest.id, "accepted", null);
    const transferId = (await transferOfCall(call.id))!;
    const href = `/transfers/${transferId}`;
    const count = (party: string) => transferSteps.filter((s) => s.responsible === party).length;

    expect((await inboxOf(maint.id)).filter((e) => e.kind === "transfer-step")).toEqual([
      { kind: "transfer-step", title: `Handover of ${pkg.name}: ${count("maintainer")} steps for you to tick`, href },
    ]);
    expect((await inboxOf(successor.id)).filter((e) => e.kind === "transfer-step")).toEqual([
      { kind: "transfer-step", title: `Handover of ${pkg.name}: ${count("successor")} steps for you to tick`, href },
    ]);

    expect(await shepherdTransfer(shepherd.id, transferId)).toBe(true);
    expect(await inboxOf(shepherd.id)).toEqual([
      { kind: "transfer-step", title: `Handover of ${pkg.name}: 1 step for you to tick`, href },
    ]);

    const by = { maintainer: maint.id, successor: successor.id, roadie: shepherd.id };
    for (const step of transferSteps)
      expect((await tickStep(by[step.responsible], transferId, step.id, true)).ok).toBe(true);
    const confirm = {
      kind: "transfer-step",
      title: `Handover of ${pkg.name}: every step is ticked, confirm the handover`,
      href,
    };
    expect((await inboxOf(maint.id))[0]).toEqual(confirm);
    expect((await inboxOf(successor.id))[0]).toEqual(confirm);
    // The roadie confirms nothing, and someone outside the handover hears nothing.
    expect(await inboxOf(shepherd.id)).toHaveLength(1);
    expect(await inboxOf(bystander.id)).toEqual([]);
  });
});

describe("the working group's votes", () => {
  useFreshDatabase();

  test("a roadie application asks every working-group member for a vote; the outcome reaches the applicant and the voters", async () => {
    const members = [await makeAdmin(unique("vt-a")), await makeAdmin(unique("vt-b")), await makeAdmin(unique("vt-c"))];
    const applicant = await makeUser(unique("vt-applicant"), { githubCreatedAt: 0 });
    const applied = await applyAsRoadie(applicant, { motivation: "I have helped for years.", evidence: [] });
    if (!applied.ok) throw new Error(applied.reason);
    for (const m of members) {
      expect(await inboxOf(m.id)).toEqual([
        {
          kind: "vote-needed",
          title: `Vote needed: @${applicant.login}’s application to become a roadie`,
          href: "/admin/roadies",
        },
      ]);
    }
    expect(await inboxOf(applicant.id)).toEqual([]);

    await castVote(members[0]!.id, applied.proposalId, "approve", null);
    const decided = await castVote(members[1]!.id, applied.proposalId, "approve", null);
    expect(decided.ok && decided.decided).toBe(true);
    expect(await inboxOf(applicant.id)).toEqual([
      {
        kind: "vote-outcome",
        title: "The working group approved your application to become a roadie",
        href: `/people/${applicant.login}`,
      },
    ]);
    for (const m of members) {
      expect((await inboxOf(m.id))[0]).toEqual({
        kind: "vote-closed",
        title: `Vote closed: @${applicant.login}’s application to become a roadie was approved`,
        href: "/admin/roadies",
      });
    }
  });

  test("a proposal to remove someone asks the other members, never the person it is about", async () => {
    const proposer = await makeAdmin(unique("vr-prop"));
    const other = await makeAdmin(unique("vr-other"));
    const subject = await makeAdmin(unique("vr-subject"));
    const proposed = await proposeChange(proposer, "wg_removal", subject.id, "Inactive for a year.");
    expect(proposed.ok).toBe(true);
    expect((await inboxOf(other.id)).map((e) => e.title)).toEqual([
      `Vote needed: ending @${subject.login}’s working-group term`,
    ]);
    expect((await inboxOf(proposer.id)).map((e) => e.kind)).toEqual(["vote-needed"]);
    expect(await inboxOf(subject.id)).toEqual([]);
  });
});

describe("special requests: the assigned expert", () => {
  useFreshDatabase();

  async function pool(kind: "security" | "funding", userId: number) {
    await db()
      .insert(schema.expertPoolMembers)
      .values({ kind, userId, status: "active", evidence: "Handled many of these.", appliedAt: 0 });
  }

  test("an assignment reaches the expert; a confidential one says only that there is one, never its title", async () => {
    const filer = await makeUser(unique("rq-filer"));
    const expert = await makeUser(unique("rq-expert"));
    await pool("funding", expert.id);
    await pool("security", expert.id);
    const pkg = await makePackage(unique("django-rq"), [filer]);
    const open = await fileRequest(filer.id, {
      packageId: pkg.id,
      kind: "funding",
      title: "Find us a sponsor",
      details: "We need funding for the next release.",
    });
    const secret = await fileRequest(filer.id, {
      packageId: pkg.id,
      kind: "security",
      severity: "critical",
      title: "SQL injection in the admin filter",
      details: "Details of the vulnerability.",
    });
    if (!open.ok || !secret.ok) throw new Error("filing failed");
    expect(await inboxOf(expert.id)).toEqual([
      { kind: "request-assigned", title: "A confidential request was assigned to you", href: `/requests/${secret.id}` },
      {
        kind: "request-assigned",
        title: `Funding request for ${pkg.name} assigned to you: “Find us a sponsor”`,
        href: `/requests/${open.id}`,
      },
    ]);
    expect(JSON.stringify(await inboxOf(expert.id))).not.toContain("SQL injection");
    expect(await inboxOf(filer.id)).toEqual([]);
  });

  test("the expert is reminded once when the acknowledgement deadline approaches, by the hourly sweeper", async () => {
    const filer = await makeUser(unique("rd-filer"));
    const expert = await makeUser(unique("rd-expert"));
    await pool("security", expert.id);
    const pkg = await makePackage(unique("django-rd"), [filer]);
    const t0 = Date.now();
    const filed = await fileRequest(
      filer.id,
      { packageId: pkg.id, kind: "security", severity: "critical", title: "Secret hole", details: "Very secret." },
      t0,
    );
    if (!filed.ok) throw new Error("filing failed");
    const due = (await db().select().from(schema.specialRequests).where(eq(schema.specialRequests.id, filed.id)).get())!
      .ackDueAt!;
    await sweepRequests(due - ACK_REMINDER_MS - DAY);
    expect((await inboxOf(expert.id)).map((e) => e.kind)).toEqual(["request-assigned"]);
    await sweepRequests(due - ACK_REMINDER_MS + 1000);
    await sweepRequests(due - 1000);
    expect((await inboxOf(expert.id))[0]).toEqual({
      kind: "deadline-approaching",
      title: "A confidential request assigned to you waits for your acknowledgement",
      href: `/requests/${filed.id}`,
    });
    expect(await inboxOf(expert.id)).toHaveLength(2);
  });
});

describe("programmes: closing windows and decisions", () => {
  useFreshDatabase();

  async function programme(organiser: string) {
    return programs.createProgram(
      {
        slug: unique("inbox-prog"),
        name: "Djangonaut Space: inbox round",
        organisation: "Djangonaut Space",
        description: "A test programme.",
        seasonStart: "2031-02-01",
        seasonEnd: "2031-03-31",
        opensOn: "2031-01-10",
        closesOn: "2031-01-20",
        windowTimezone: "UTC",
        roles: [{ name: "Djangonaut", capacity: 1 }],
        organiserLogins: [organiser],
        rubric: [{ label: "Motivation", weight: 1 }],
      },
      null,
    );
  }
  const inWindow = Date.UTC(2031, 0, 15);
  const save = (program: Awaited<ReturnType<typeof programme>>, userId: number, submit: boolean, now = inWindow) =>
    applying.saveApplication(
      program,
      program.roles[0]!.id,
      userId,
      { answers: {}, projectRanking: [], timezone: null, availableFrom: null, availableTo: null },
      { submit, now },
    );

  test("the author of an unsubmitted draft is reminded once when the window closes within three days", async () => {
    const org = await makeUser(unique("pc-org"));
    const drafter = await makeUser(unique("pc-draft"));
    const submitter = await makeUser(unique("pc-done"));
    const program = await programme(org.login);
    await save(program, drafter.id, false);
    await save(program, submitter.id, true);
    await applying.flushApplicationEmails();
    await remindClosingDrafts(Date.UTC(2031, 0, 16));
    expect(await inboxOf(drafter.id)).toEqual([]);
    await remindClosingDrafts(Date.UTC(2031, 0, 19));
    await remindClosingDrafts(Date.UTC(2031, 0, 20));
    const entries = await inboxOf(drafter.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: "programme-closing", href: `/programs/${program.slug}/apply` });
    expect(entries[0]!.title).toMatch(/^Your draft application to Djangonaut Space: inbox round is not submitted/);
    expect(await inboxOf(submitter.id)).toEqual([]);
  });

  test("each applicant hears of the decision sent to them, and a place offered from the waitlist", async () => {
    const org = await makeUser(unique("pd-org"));
    const first = await makeUser(unique("pd-first"));
    const second = await makeUser(unique("pd-second"));
    const program = await programme(org.login);
    const a = await save(program, first.id, true);
    const b = await save(program, second.id, true);
    await applying.flushApplicationEmails();
    if (!a.ok || !b.ok) throw new Error("applying failed");
    await decisions.setDecision(program.id, a.application.id, "accepted", org.id);
    await decisions.setDecision(program.id, b.application.id, "waitlisted", org.id);
    const preview = await decisions.pendingDecisions(program.id, org.id);
    await decisions.sendDecisions(program, org.id, preview.fingerprint);
    expect(await inboxOf(first.id)).toEqual([
      {
        kind: "decision-sent",
        title: "Your application to Djangonaut Space: inbox round: accepted",
        href: "/me/applications",
      },
    ]);
    expect((await inboxOf(second.id)).map((e) => e.title)).toEqual([
      "Your application to Djangonaut Space: inbox round: waitlisted",
    ]);
    expect(await inboxOf(org.id)).toEqual([]);

    // The accepted applicant declines: the place goes to the waitlist's top, who hears of it.
    await applying.withdrawApplication(a.application.id, first.id);
    expect((await inboxOf(second.id))[0]).toEqual({
      kind: "decision-sent",
      title: "A place opened up in Djangonaut Space: inbox round: you are offered it",
      href: "/me/applications",
    });
  });
});
