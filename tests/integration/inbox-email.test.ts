// Email as a messenger: the notification email job against the Resend stand-in. One email per
// thread after a quiet window (a later message makes a second), a summary of the other unread
// notifications after hours and at most every six hours, the person's switches honoured, nothing
// read before the email goes out is emailed, the chosen verified address is used, no email shows
// another person's address or a confidential request's title or text, and a run killed halfway
// sends nothing twice when run again.
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { withResendStandIn } from "#tests/support/email.ts";
import { APP } from "#tests/support/routes.ts";
import { useFreshDatabase } from "#tests/support/database.ts";

const resend = withResendStandIn("re_test_inbox_email_0123456789");

process.env.APP_URL = APP;
const { db, schema } = await import("#app/utils/db.server.ts");
const { eq, inArray, sql } = await import("drizzle-orm");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
const { switchOff, saveSwitches } = await import("#app/utils/email-preferences.server.ts");
const { switchableEmailKinds } = await import("#db/schema/notifications.ts");
const { notify, markRead } = await import("#app/models/inbox/notifications.server.ts");
const { ensureThread } = await import("#app/models/conversations/threads.server.ts");
const { runInboxEmails, planInboxEmails, THREAD_QUIET_MS, SUMMARY_AFTER_MS, SUMMARY_EVERY_MS } =
  await import("#app/jobs/inbox-email.server.ts");
const { makeUser, makePackage, makeCall } = await import("#tests/support/factories.ts");

emailRetryPolicy.baseDelayMs = 5;

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ADDRESS = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

let seq = 0;
type Person = { id: number; login: string };

/** An accepted interest on a call of a package the maintainers maintain, and its thread. */
async function interestThread(maintainers: Person[], volunteer: Person, callTitle: string, at = Date.now()) {
  seq += 1;
  const pkg = await makePackage(`inbox-email-pkg-${seq}`, maintainers);
  const call = await makeCall(pkg.id, maintainers[0]!, { title: callTitle });
  const [interest] = await db()
    .insert(schema.callInterests)
    .values({
      callId: call.id,
      userId: volunteer.id,
      message: "Happy to help.",
      status: "accepted",
      createdAt: at,
      updatedAt: at,
    })
    .returning();
  const thread = await ensureThread("interest", interest!.id, at);
  return thread!;
}

/** A message in the thread from `author`, and the notification of it for each of `to`. */
async function message(threadId: number, author: Person, to: Person[], at: number, body = "A message.") {
  const [row] = await db()
    .insert(schema.messages)
    .values({ threadId, authorId: author.id, body, createdAt: at })
    .returning();
  await notify(
    to.map((p) => ({
      userId: p.id,
      kind: "message" as const,
      title: "New message",
      href: `/threads/${threadId}#message-${row!.id}`,
      threadId,
      key: `message:${row!.id}`,
    })),
    at,
  );
  return row!.id;
}

const sentTo = (address: string) => resend.standIn.sent().filter((e) => e.to.includes(address));
const bodyOf = (e: { html: string | null; text: string | null }) => `${e.html ?? ""}\n${e.text ?? ""}`;

describe("one email per thread", () => {
  useFreshDatabase();

  it("groups two messages within the quiet window into one email, and a later message makes a second", async () => {
    const mia = await makeUser("mia-inbox");
    const val = await makeUser("val-inbox");
    const t0 = Date.now();
    const thread = await interestThread([mia], val, "Review the async views", t0);
    await message(thread.id, val, [mia], t0);
    await message(thread.id, val, [mia], t0 + MINUTE);

    // Still inside the quiet window: nothing yet.
    await runInboxEmails(t0 + 2 * MINUTE);
    expect(sentTo("mia-inbox@example.org")).toHaveLength(0);

    await runInboxEmails(t0 + THREAD_QUIET_MS + 1);
    const [first] = sentTo("mia-inbox@example.org");
    expect(sentTo("mia-inbox@example.org")).toHaveLength(1);
    expect(first!.subject).toBe("2 new messages in “Review the async views”");
    expect(first!.text).toContain(`${APP}/threads/${thread.id}`);
    expect(first!.text).toContain("@val-inbox");
    // Messages are not a periodic kind: no List-Unsubscribe.
    expect(first!.headers["List-Unsubscribe"]).toBeUndefined();

    // Running again sends nothing new.
    await runInboxEmails(t0 + THREAD_QUIET_MS + 2 * MINUTE);
    expect(sentTo("mia-inbox@example.org")).toHaveLength(1);

    // A later message starts a new group: a second email once its own window has passed.
    const t1 = t0 + 20 * MINUTE;
    await message(thread.id, val, [mia], t1);
    await runInboxEmails(t1 + MINUTE);
    expect(sentTo("mia-inbox@example.org")).toHaveLength(1);
    await runInboxEmails(t1 + THREAD_QUIET_MS + 1);
    expect(sentTo("mia-inbox@example.org").map((e) => e.subject)).toEqual([
      "2 new messages in “Review the async views”",
      "1 new message in “Review the async views”",
    ]);
  });

  it("does not email a message read before the email goes out, and counts only what is unread", async () => {
    const noa = await makeUser("noa-inbox");
    const vic = await makeUser("vic-inbox");
    const t0 = Date.now();
    const thread = await interestThread([noa], vic, "Triage the issue tracker", t0);
    await message(thread.id, vic, [noa], t0);
    await runInboxEmails(t0 + MINUTE);
    // Noa reads it on the site within the window: no email at all.
    const [only] = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, noa.id)).all();
    await markRead(noa.id, [only!.id], t0 + 2 * MINUTE);
    await runInboxEmails(t0 + THREAD_QUIET_MS + 1);
    expect(sentTo("noa-inbox@example.org")).toHaveLength(0);

    // Two more; one read after it was planned but before the send: the email counts one.
    const t1 = t0 + HOUR;
    const firstId = await message(thread.id, vic, [noa], t1);
    await message(thread.id, vic, [noa], t1 + MINUTE);
    await planInboxEmails(t1 + THREAD_QUIET_MS + 1);
    const read = await db()
      .select({ id: schema.notifications.id })
      .from(schema.notifications)
      .where(eq(schema.notifications.key, `message:${firstId}`))
      .get();
    await markRead(noa.id, [read!.id], t1 + THREAD_QUIET_MS + 2);
    await runInboxEmails(t1 + THREAD_QUIET_MS + 3);
    expect(sentTo("noa-inbox@example.org").map((e) => e.subject)).toEqual([
      "1 new message in “Triage the issue tracker”",
    ]);
  });

  it("sends nothing for a thread the person muted after the messages came", async () => {
    const kim = await makeUser("kim-inbox");
    const lou = await makeUser("lou-inbox");
    const t0 = Date.now();
    const thread = await interestThread([kim], lou, "Muted thread", t0);
    await message(thread.id, lou, [kim], t0);
    await planInboxEmails(t0 + THREAD_QUIET_MS + 1);
    await db()
      .insert(schema.threadStates)
      .values({ threadId: thread.id, userId: kim.id, mutedAt: t0 + MINUTE });
    await runInboxEmails(t0 + THREAD_QUIET_MS + 2);
    expect(sentTo("kim-inbox@example.org")).toHaveLength(0);
  });

  it("honours the person's switch for message emails, and never emails them later when switched back on", async () => {
    const ola = await makeUser("ola-inbox");
    const wes = await makeUser("wes-inbox");
    const t0 = Date.now();
    const thread = await interestThread([ola], wes, "Port to Django 6", t0);
    await switchOff(ola.id, "conversations-messages");
    await message(thread.id, wes, [ola], t0);
    await runInboxEmails(t0 + THREAD_QUIET_MS + 1);
    expect(sentTo("ola-inbox@example.org")).toHaveLength(0);
    const [row] = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, ola.id)).all();
    expect(row!.emailedAt).not.toBeNull();
    // Still in the inbox, unread: only the email was left out.
    expect(row!.readAt).toBeNull();

    await saveSwitches(ola.id, switchableEmailKinds);
    await runInboxEmails(t0 + 30 * MINUTE);
    expect(sentTo("ola-inbox@example.org")).toHaveLength(0);
    await message(thread.id, wes, [ola], t0 + HOUR);
    await runInboxEmails(t0 + HOUR + THREAD_QUIET_MS + 1);
    expect(sentTo("ola-inbox@example.org")).toHaveLength(1);
  });

  it("sends to the chosen verified address, never to an unverified one, and to nobody without an address", async () => {
    const pia = await makeUser("pia-inbox");
    const raf = await makeUser("raf-inbox", { email: null });
    const xan = await makeUser("xan-inbox");
    const t0 = Date.now();
    await db()
      .insert(schema.userEmails)
      .values([
        { userId: pia.id, address: "pia@chosen.example.net", verifiedAt: t0, forNotifications: true, createdAt: t0 },
        { userId: pia.id, address: "pia@unverified.example.net", createdAt: t0 },
        { userId: raf.id, address: "raf@unverified.example.net", forNotifications: true, createdAt: t0 },
      ]);
    const thread = await interestThread([pia, raf], xan, "Release 2.0", t0);
    await message(thread.id, xan, [pia, raf], t0);
    await runInboxEmails(t0 + THREAD_QUIET_MS + 1);
    expect(sentTo("pia@chosen.example.net")).toHaveLength(1);
    expect(sentTo("pia-inbox@example.org")).toHaveLength(0);
    expect(sentTo("pia@unverified.example.net")).toHaveLength(0);
    expect(sentTo("raf@unverified.example.net")).toHaveLength(0);
    // Raf's notification is dealt with (nothing to send to), not retried every minute.
    const raws = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, raf.id)).all();
    expect(raws.every((r) => r.emailedAt !== null)).toBe(true);
  });

  it("says nothing of a confidential request's conversation but that there are messages, and its link", async () => {
    const filer = await makeUser("sol-inbox");
    const expert = await makeUser("tam-inbox");
    const t0 = Date.now();
    const pkg = await makePackage("inbox-email-confidential", [filer]);
    const [req] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "security",
        title: "SQL injection in the ZEBRA-TITLE admin filter",
        details: "Details.",
        severity: "high",
        confidential: true,
        filedByUserId: filer.id,
        createdAt: t0,
        updatedAt: t0,
      })
      .returning();
    const thread = (await ensureThread("request", req!.id, t0))!;
    await message(thread.id, expert, [filer], t0, "The payload is QUAGGA-BODY, see the PoC.");
    await runInboxEmails(t0 + THREAD_QUIET_MS + 1);
    const [email] = sentTo("sol-inbox@example.org");
    expect(email!.subject).toBe("1 new message in a confidential conversation");
    const everything = `${email!.subject}\n${bodyOf(email!)}`;
    for (const secret of ["ZEBRA-TITLE", "QUAGGA-BODY", "inbox-email-confidential", "tam-inbox"])
      expect(everything).not.toContain(secret);
    expect(email!.text).toContain(`${APP}/threads/${thread.id}`);
  });

  it("never shows another person's address, in a thread email or a summary", async () => {
    const zed = await makeUser("zed-inbox");
    const amy = await makeUser("amy-inbox", { email: "amy.private@example.com" });
    const bob = await makeUser("bob-inbox");
    const t0 = Date.now();
    const thread = await interestThread([zed, amy], bob, "Contact me at bob-inbox@example.org", t0);
    await message(thread.id, bob, [zed, amy], t0, "Write to me: bob-inbox@example.org");
    await message(thread.id, amy, [zed, bob], t0 + MINUTE, "Or to amy.private@example.com");
    await notify(
      [{ userId: zed.id, kind: "vote-needed", title: "A vote on @amy-inbox", href: "/roadies/votes/8", key: "v:8" }],
      t0,
    );
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 1);
    const mine = (p: { email: string | null }) => sentTo(p.email!);
    expect(
      mine(zed)
        .map((e) => e.subject)
        .sort(),
    ).toEqual(["1 unread notification on Roadies", "2 new messages in “Contact me at bob-inbox@example.org”"]);
    expect(mine(amy)).toHaveLength(1);
    expect(mine(bob)).toHaveLength(1);
    for (const email of [...mine(zed), ...mine(amy), ...mine(bob)]) {
      // The call's own title is what its author wrote on a public page; the message text never
      // travels, and so neither does any address written in it.
      const body = bodyOf(email).replaceAll("bob-inbox@example.org", "");
      const found = new Set(body.match(ADDRESS) ?? []);
      for (const address of found) expect(email.to.map((t) => t.toLowerCase())).toContain(address.toLowerCase());
      expect(bodyOf(email)).not.toContain("amy.private@example.com");
    }
  });
});

describe("the summary of other notifications", () => {
  useFreshDatabase();

  it("lists what is still unread after some hours, at most once every six hours, with links", async () => {
    const uma = await makeUser("uma-inbox");
    const t0 = Date.now();
    const item = (key: string, kind: "vote-needed" | "deadline-approaching", title: string, href: string, at: number) =>
      notify([{ userId: uma.id, kind, title, href, key }], at);
    await item("vote:1", "vote-needed", "Roadie application by @yves waits for your vote", "/roadies/votes/1", t0);
    await item(
      "deadline:1",
      "deadline-approaching",
      "A request waits for your acknowledgement",
      "/requests/9",
      t0 + MINUTE,
    );
    await item("vote:2", "vote-needed", "Removal proposal waits for your vote", "/roadies/votes/2", t0 + 2 * MINUTE);
    // One read on the site: not in the summary.
    const read = await db().select().from(schema.notifications).where(eq(schema.notifications.key, "vote:2")).get();
    await markRead(uma.id, [read!.id], t0 + 3 * MINUTE);

    await runInboxEmails(t0 + HOUR);
    expect(sentTo("uma-inbox@example.org")).toHaveLength(0);
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 1);
    const [summary] = sentTo("uma-inbox@example.org");
    expect(summary!.subject).toBe("2 unread notifications on Roadies");
    expect(summary!.text).toContain("Roadie application by @yves waits for your vote");
    expect(summary!.text).toContain(`${APP}/requests/9`);
    expect(summary!.text).not.toContain("Removal proposal");
    // A periodic kind: one-click unsubscribe from summaries only.
    expect(summary!.headers["List-Unsubscribe"]).toMatch(/\/unsubscribe\/.+\/one-click/);

    // A new one three hours later waits for six hours after the last summary.
    const t1 = t0 + SUMMARY_AFTER_MS + 3 * HOUR;
    await item("vote:3", "vote-needed", "Another application waits for your vote", "/roadies/votes/3", t1);
    await runInboxEmails(t1 + SUMMARY_AFTER_MS + 1);
    expect(sentTo("uma-inbox@example.org")).toHaveLength(1);
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 1 + SUMMARY_EVERY_MS);
    expect(sentTo("uma-inbox@example.org").map((e) => e.subject)).toEqual([
      "2 unread notifications on Roadies",
      "1 unread notification on Roadies",
    ]);
  });

  it("leaves out kinds whose event sends its own email, and everything when summaries are switched off", async () => {
    const vera = await makeUser("vera-inbox");
    const t0 = Date.now();
    await notify(
      [
        {
          userId: vera.id,
          kind: "interest-accepted",
          title: "Your offer was accepted",
          href: "/calls/1",
          key: "acc:1",
        },
      ],
      t0,
    );
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 1);
    expect(sentTo("vera-inbox@example.org")).toHaveLength(0);

    await switchOff(vera.id, "inbox-summary");
    await notify(
      [{ userId: vera.id, kind: "vote-needed", title: "A vote", href: "/roadies/votes/4", key: "vote:4" }],
      t0,
    );
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 2);
    expect(sentTo("vera-inbox@example.org")).toHaveLength(0);
    const rows = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, vera.id)).all();
    expect(rows.every((r) => r.emailedAt !== null && r.readAt === null)).toBe(true);
  });
});

describe("a suspended account", () => {
  useFreshDatabase();

  it("gets no notification email: it could not sign in to read what the email points at", async () => {
    const wil = await makeUser("wil-inbox");
    const t0 = Date.now();
    await notify([{ userId: wil.id, kind: "vote-needed", title: "A vote", href: "/roadies/votes/5", key: "v:5" }], t0);
    await db()
      .insert(schema.accountSuspensions)
      .values({ userId: wil.id, reason: "test", createdAt: t0 + MINUTE });
    await runInboxEmails(t0 + SUMMARY_AFTER_MS + 1);
    expect(sentTo("wil-inbox@example.org")).toHaveLength(0);
  });
});

describe("a run that stops halfway", () => {
  useFreshDatabase();

  it("sends each planned email once when it stopped after planning, or after sending but before recording", async () => {
    const people = await Promise.all([1, 2, 3].map((i) => makeUser(`halt-${i}`)));
    const author = await makeUser("halt-author");
    resend.standIn.reset();
    const t0 = Date.now();
    const thread = await interestThread(people, author, "Stop and go", t0);
    await message(thread.id, author, people, t0);
    // Stopped after planning: the plans are there, nothing sent.
    await planInboxEmails(t0 + THREAD_QUIET_MS + 1);
    expect(resend.standIn.sent()).toHaveLength(0);
    await runInboxEmails(t0 + THREAD_QUIET_MS + 2);
    expect(resend.standIn.sent()).toHaveLength(3);
    // Stopped after sending, before recording it: the rerun finds the emails in the ledger.
    await db().update(schema.notificationEmails).set({ doneAt: null, outcome: null });
    const rerun = await runInboxEmails(t0 + THREAD_QUIET_MS + 3);
    expect(rerun.sent).toBe(3);
    expect(resend.standIn.sent()).toHaveLength(3);
  });

  it("sends exactly one email to each person when a run killed with SIGKILL is started again", async () => {
    const many = await Promise.all(Array.from({ length: 150 }, (_, i) => makeUser(`crowd-inbox-${i}`)));
    const author = await makeUser("crowd-author");
    const t0 = Date.now() - THREAD_QUIET_MS - MINUTE;
    const thread = await interestThread(many, author, "Everyone at once", t0);
    await message(thread.id, author, many, t0);
    resend.standIn.reset();
    resend.standIn.setRateLimit(1);
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/inbox-email.ts"], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: "ignore",
    });
    await expect.poll(() => resend.standIn.sent().length, { timeout: 60_000, interval: 20 }).toBeGreaterThan(0);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const beforeKill = resend.standIn.sent().length;
    expect(beforeKill).toBeLessThan(many.length);

    resend.standIn.setRateLimit(null);
    await runInboxEmails();
    await runInboxEmails();
    const counts = new Map<string, number>();
    for (const email of resend.standIn.sent()) for (const to of email.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    for (const person of many) expect(counts.get(`${person.login}@example.org`), person.login).toBe(1);
    const open = await db()
      .select({ n: sql<number>`count(*)` })
      .from(schema.notificationEmails)
      .where(
        inArray(
          schema.notificationEmails.userId,
          many.map((p) => p.id),
        ),
      )
      .get();
    expect(open!.n).toBe(many.length);
  }, 120_000);
});
