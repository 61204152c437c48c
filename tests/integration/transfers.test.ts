// A handover needs the consent of the people it moves: each checklist step is ticked only by its
// party, the roadie can only mark steps checked, the current maintainer and the successor each
// confirm, GitHub must show the successor's access, and every party hears each stage once.
// Real sign-ins through the GitHub stand-in (real tokens), the Resend stand-in for the emails.
import { afterAll, beforeEach, describe, expect, test } from "vitest";
import { createGitHubStandIn, type Repo } from "#tests/fakes/github.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { signIn } from "./calls-helpers.ts";

const people = ["tf-maint", "tf-comaint", "tf-succ", "tf-roadie", "tf-other-roadie"];
const repo = (successorLevel: "push" | "maintain"): Repo => ({
  owner: "acme",
  name: "django-handover",
  permissions: { "tf-maint": "admin", "tf-comaint": "maintain", "tf-succ": successorLevel },
});
const github = createGitHubStandIn({
  identities: people.map((login, i) => ({
    id: 8800 + i,
    login,
    name: login,
    createdAt: "2015-01-01T00:00:00Z",
    emails: [{ email: `${login}@example.org`, primary: true, verified: true }],
  })),
  repos: [repo("push")],
});
const githubServer = await github.listen();
const resend = await startResendStandIn({ rateLimitPerSecond: null });
process.env.GITHUB_OAUTH_URL = githubServer.url;
process.env.GITHUB_API_URL = `${githubServer.url}/api`;
process.env.APP_URL = APP;
process.env.RESEND_API_KEY = "re_test_transfers";
process.env.RESEND_BASE_URL = resend.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
delete process.env.DEMO_MODE;

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq, like } = await import("drizzle-orm");
const { makeAdmin, makeCall, makePackage, cookieFor } = await import("#tests/support/factories.ts");
const { transferSteps } = await import("#app/models/requests/transfers.server.ts");
const route = await import("#app/routes/transfers.$id.tsx");
const { emailRetryPolicy } = await import("#app/utils/email.server.ts");
emailRetryPolicy.baseDelayMs = 1;

afterAll(async () => {
  await resend.close();
  await githubServer.close().catch(() => {});
});

const DAY = 24 * 60 * 60 * 1000;
const cookies: Record<string, string> = {};
for (const login of people) cookies[login] = await signIn(login);
const ids: Record<string, number> = {};
for (const login of people) {
  ids[login] = (await db().select().from(schema.users).where(eq(schema.users.login, login)).get())!.id;
}
for (const login of ["tf-roadie", "tf-other-roadie"]) {
  await db()
    .insert(schema.memberships)
    .values({
      userId: ids[login]!,
      role: "roadie",
      status: "active",
      startedAt: 0,
      termEndsAt: Date.now() + 365 * DAY,
    });
}
const wg = await makeAdmin("tf-wg");
cookies["tf-wg"] = await cookieFor(wg.id);
ids["tf-wg"] = wg.id;

let seq = 0;
/** A package maintained by tf-maint (and tf-comaint), its "new owner" call, tf-succ accepted, tf-roadie shepherding. */
async function handover() {
  seq++;
  github.setRepo(repo("push"));
  const pkg = await makePackage(
    `django-handover-${seq}`,
    [
      { id: ids["tf-maint"]!, login: "tf-maint" },
      { id: ids["tf-comaint"]!, login: "tf-comaint" },
    ],
    { repository: "acme/django-handover" },
  );
  const call = await makeCall(pkg.id, { id: ids["tf-maint"]! }, { kind: "new-maintainer", status: "in_conversation" });
  const now = Date.now();
  await db().insert(schema.callInterests).values({
    callId: call.id,
    userId: ids["tf-succ"]!,
    message: "I would love to look after it.",
    status: "accepted",
    decidedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  const transfer = (await db().select().from(schema.transfers).where(eq(schema.transfers.callId, call.id)).get())!;
  await db()
    .update(schema.transfers)
    .set({ roadieUserId: ids["tf-roadie"]! })
    .where(eq(schema.transfers.id, transfer.id));
  return { pkg, call, id: transfer.id };
}

const post = (login: string, id: number, form: Record<string, string>) =>
  run(() =>
    route.action({
      request: request(`/transfers/${id}`, { cookie: cookies[login], form }),
      params: { id: String(id) },
      context,
    }),
  );

const partyLogin = { maintainer: "tf-maint", successor: "tf-succ", roadie: "tf-roadie" } as const;

async function tickAll(id: number) {
  for (const step of transferSteps) {
    const r = await post(partyLogin[step.responsible], id, { intent: "tick", step: step.id });
    expect(r.status, step.id).toBe(302);
  }
}

/** Everything a refused action must leave alone. */
async function snapshot(id: number, packageId: number, callId: number) {
  return JSON.stringify({
    transfer: await db().select().from(schema.transfers).where(eq(schema.transfers.id, id)).get(),
    steps: await db().select().from(schema.transferSteps).where(eq(schema.transferSteps.transferId, id)).all(),
    confirmations: await db()
      .select()
      .from(schema.transferConfirmations)
      .where(eq(schema.transferConfirmations.transferId, id))
      .all(),
    call: await db().select().from(schema.calls).where(eq(schema.calls.id, callId)).get(),
    maintainers: await db()
      .select()
      .from(schema.packageMaintainers)
      .where(eq(schema.packageMaintainers.packageId, packageId))
      .all(),
  });
}

const message = (value: unknown) => JSON.stringify(value);
const verifiedLogins = async (packageId: number) =>
  (
    await db()
      .select({ login: schema.packageMaintainers.githubLogin, verifiedAt: schema.packageMaintainers.verifiedAt })
      .from(schema.packageMaintainers)
      .where(eq(schema.packageMaintainers.packageId, packageId))
      .all()
  )
    .filter((m) => m.verifiedAt !== null)
    .map((m) => m.login)
    .sort();

beforeEach(() => resend.reset());

describe("a handover needs the consent of the people it moves", () => {
  test("the shepherd roadie cannot tick the maintainer's or the successor's steps: refused with 403, nothing changes", async () => {
    const { id, pkg, call } = await handover();
    const before = await snapshot(id, pkg.id, call.id);
    for (const step of transferSteps.filter((s) => s.responsible !== "roadie")) {
      const r = await post("tf-roadie", id, { intent: "tick", step: step.id });
      expect(r.status, step.id).toBe(403);
      expect(message(r.value)).toContain("Only the party a step belongs to can tick it");
    }
    // Neither can a working-group admin, nor one party for the other.
    expect((await post("tf-wg", id, { intent: "tick", step: "pypi-owner" })).status).toBe(403);
    expect((await post("tf-maint", id, { intent: "tick", step: "ci-secrets" })).status).toBe(403);
    expect((await post("tf-succ", id, { intent: "tick", step: "repository" })).status).toBe(403);
    // A roadie who does not shepherd this transfer cannot act on it at all.
    expect((await post("tf-other-roadie", id, { intent: "tick", step: "announcement" })).status).toBe(403);
    expect(await snapshot(id, pkg.id, call.id)).toBe(before);
    expect(resend.sent()).toEqual([]);
  });

  test("the roadie marks a step checked with evidence; the step stays unticked until its party ticks it", async () => {
    const { id } = await handover();
    const refused = await post("tf-roadie", id, { intent: "check", step: "repository", note: "" });
    expect(refused.status).toBe(400);
    const r = await post("tf-roadie", id, {
      intent: "check",
      step: "repository",
      note: "Saw tf-succ listed with admin under Settings → Collaborators.",
    });
    expect(r.status).toBe(302);
    const page = (await run(() =>
      route.loader({
        request: request(`/transfers/${id}`, { cookie: cookies["tf-maint"] }),
        params: { id: String(id) },
        context,
      }),
    )) as {
      value: {
        transfer: { steps: { id: string; doneAt: number | null; check: { by: string; note: string } | null }[] };
      };
    };
    const step = page.value.transfer.steps.find((s) => s.id === "repository")!;
    expect(step.doneAt).toBeNull();
    expect(step.check).toMatchObject({ by: "tf-roadie", note: expect.stringContaining("Collaborators") });
    // The successor cannot mark checks: that is the shepherd's (or an admin's) record.
    expect((await post("tf-succ", id, { intent: "check", step: "repository", note: "Looks fine to me." })).status).toBe(
      403,
    );
  });

  test("completion is refused without both confirmations, and one person cannot give both", async () => {
    const { id, pkg, call } = await handover();
    // Not before every step is ticked.
    expect((await post("tf-maint", id, { intent: "confirm", side: "maintainer" })).status).toBe(409);
    await tickAll(id);
    const ticked = await snapshot(id, pkg.id, call.id);
    expect((await post("tf-succ", id, { intent: "complete" })).status).toBe(409);
    // Each side for itself.
    expect((await post("tf-succ", id, { intent: "confirm", side: "maintainer" })).status).toBe(403);
    expect((await post("tf-maint", id, { intent: "confirm", side: "successor" })).status).toBe(403);
    expect((await post("tf-roadie", id, { intent: "confirm", side: "maintainer" })).status).toBe(403);
    expect(await snapshot(id, pkg.id, call.id)).toBe(ticked);

    expect((await post("tf-maint", id, { intent: "confirm", side: "maintainer" })).status).toBe(302);
    const complete = await post("tf-maint", id, { intent: "complete" });
    expect(complete.status).toBe(409);
    expect(message(complete.value)).toContain("both confirmed");
    const row = await db().select().from(schema.transfers).where(eq(schema.transfers.id, id)).get();
    expect(row?.status).toBe("in_progress");
    expect((await db().select().from(schema.calls).where(eq(schema.calls.id, call.id)).get())?.status).not.toBe(
      "filled",
    );
    expect(await verifiedLogins(pkg.id)).toEqual(["tf-comaint", "tf-maint"]);

    // Unticking a step withdraws the confirmation given for the whole checklist.
    expect((await post("tf-succ", id, { intent: "untick", step: "ci-secrets" })).status).toBe(302);
    const left = await db()
      .select()
      .from(schema.transferConfirmations)
      .where(eq(schema.transferConfirmations.transferId, id))
      .all();
    expect(left).toEqual([]);
  });

  test("completion is refused while GitHub shows the successor without admin or maintain; granted, it completes", async () => {
    const { id, pkg, call } = await handover();
    await tickAll(id);
    expect((await post("tf-maint", id, { intent: "confirm", side: "maintainer" })).status).toBe(302);
    const refused = await post("tf-succ", id, { intent: "confirm", side: "successor" });
    expect(refused.status).toBe(409);
    expect(message(refused.value)).toContain("GitHub does not show the successor with admin or maintain");
    expect(message(refused.value)).toContain("write");
    const row = await db().select().from(schema.transfers).where(eq(schema.transfers.id, id)).get();
    expect(row).toMatchObject({ status: "in_progress", successorPermission: "write" });
    expect((await db().select().from(schema.calls).where(eq(schema.calls.id, call.id)).get())?.status).toBe(
      "in_conversation",
    );
    expect(await verifiedLogins(pkg.id)).toEqual(["tf-comaint", "tf-maint"]);

    // The maintainer grants maintain on GitHub; the successor checks again.
    github.setRepo(repo("maintain"));
    expect((await post("tf-succ", id, { intent: "complete" })).status).toBe(302);
    expect(await db().select().from(schema.transfers).where(eq(schema.transfers.id, id)).get()).toMatchObject({
      status: "completed",
      successorPermission: "maintain",
    });
    expect(await db().select().from(schema.calls).where(eq(schema.calls.id, call.id)).get()).toMatchObject({
      status: "filled",
      filledByUserId: ids["tf-succ"],
    });
    // The previous maintainers stay: nobody chose to step down.
    expect(await verifiedLogins(pkg.id)).toEqual(["tf-comaint", "tf-maint", "tf-succ"]);
    // Finished is finished.
    expect((await post("tf-succ", id, { intent: "untick", step: "ci-secrets" })).status).toBe(409);
  });

  test("a maintainer who steps down in their confirmation is removed when it completes; the others stay", async () => {
    const { id, pkg } = await handover();
    github.setRepo(repo("maintain"));
    await tickAll(id);
    expect((await post("tf-maint", id, { intent: "confirm", side: "maintainer", stepDown: "on" })).status).toBe(302);
    expect((await post("tf-succ", id, { intent: "confirm", side: "successor" })).status).toBe(302);
    expect(await verifiedLogins(pkg.id)).toEqual(["tf-comaint", "tf-succ"]);
    const audit = await db()
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.action, "transfer.complete"), eq(schema.auditLog.objectId, String(id))))
      .all();
    expect(audit).toHaveLength(1);
  });

  test("every party is told once at each stage: step ticked, ready to confirm, each confirmation, completed", async () => {
    const { id } = await handover();
    github.setRepo(repo("maintain"));
    const everyone = ["tf-comaint", "tf-maint", "tf-roadie", "tf-succ", "tf-wg"].map((l) => `${l}@example.org`);
    const to = (subject: RegExp) =>
      resend
        .sent()
        .filter((m) => subject.test(m.subject))
        .flatMap((m) => m.to)
        .sort();

    await tickAll(id);
    for (const step of transferSteps) {
      expect(to(new RegExp(`“${step.label.replace(/[()]/g, "\\$&")}” ticked`)), step.id).toEqual(everyone);
    }
    expect(to(/ready for both confirmations/)).toEqual(everyone);
    // A second submission of a ticked step is no new event: nobody is told again.
    const count = resend.sent().length;
    expect((await post("tf-succ", id, { intent: "tick", step: "ci-secrets" })).status).toBe(302);
    expect(resend.sent()).toHaveLength(count);

    expect((await post("tf-succ", id, { intent: "confirm", side: "successor" })).status).toBe(302);
    expect((await post("tf-succ", id, { intent: "confirm", side: "successor" })).status).toBe(302);
    expect(to(/confirmed by the successor/)).toEqual(everyone);
    expect((await post("tf-maint", id, { intent: "confirm", side: "maintainer" })).status).toBe(302);
    expect(to(/confirmed by the current maintainer/)).toEqual(everyone);
    expect(to(/transfer completed/)).toEqual(everyone);
    // The ledger holds one sent row per event and recipient, under a key that names both.
    const ledger = await db()
      .select()
      .from(schema.emailDeliveries)
      .where(like(schema.emailDeliveries.idempotencyKey, `transfer:${id}:%`))
      .all();
    expect(ledger).toHaveLength(resend.sent().length);
    expect(ledger.every((d) => d.status === "sent")).toBe(true);
    expect(ledger.map((d) => d.idempotencyKey)).toContain(`transfer:${id}:completed:${ids["tf-succ"]}`);
  });
});
