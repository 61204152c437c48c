// Exports and reports show only what the person may see: the account export holds the person's own
// data and not what the app hides from them; monthly reports (page, Markdown, Atom) leave out
// hidden calls and suspended people.
import { describe, expect, test } from "vitest";
import { APP, context, MATRIX_PACKAGE, world } from "./world.ts";

const { db, schema } = await import("#app/utils/db.server.ts");
const { eq } = await import("drizzle-orm");
const exportRoute = await import("#app/routes/settings.account.export.ts");
const reportPage = await import("#app/routes/reports.$month.tsx");
const reportMarkdown = await import("#app/routes/reports.$month_.markdown.ts");
const reportAtom = await import("#app/routes/reports[.]atom.ts");

const PROGRAM_SLUG = "djangonaut-space-demo-session";

async function exportFor(cookie: string) {
  const response = (await exportRoute.loader({
    request: new Request(`${APP}/settings/account/export`, { headers: { Cookie: cookie } }),
    params: {},
    context,
  })) as Response;
  expect(response.status).toBe(200);
  return response.text();
}

describe("the account export holds only what the person may see", () => {
  test("exports show only what the person may see: no unsent decision, no open proposal about them by others", async () => {
    const w = await world();
    const me = w.users.volunteer;
    const cookie = (await w.cookie("volunteer"))!;
    const now = Date.now();
    const program = (await db().select().from(schema.programs).where(eq(schema.programs.slug, PROGRAM_SLUG)).get())!;
    const role = (await db()
      .select()
      .from(schema.programRoles)
      .where(eq(schema.programRoles.programId, program.id))
      .get())!;
    const [application] = await db()
      .insert(schema.applications)
      .values({
        programId: program.id,
        roleId: role.id,
        userId: me.id,
        status: "submitted",
        decision: "rejected",
        decidedByUserId: w.users.admin.id,
        submittedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const reason = "SECRET-REMOVAL-REASON: keeps missing the weekly calls";
    await db()
      .insert(schema.trustProposals)
      .values([
        {
          kind: "roadie_removal",
          subjectUserId: me.id,
          proposedByUserId: w.users.admin.id,
          motivation: reason,
          status: "open",
          createdAt: now,
        },
        {
          kind: "roadie_application",
          subjectUserId: me.id,
          proposedByUserId: me.id,
          motivation: "MY-OWN-MOTIVATION: I triage Django issues weekly",
          status: "open",
          createdAt: now,
        },
      ]);

    const before = JSON.parse(await exportFor(cookie)) as {
      programApplications: Record<string, unknown>[];
      applicationsAndProposals: Record<string, unknown>[];
    };
    const text = JSON.stringify(before);
    // Their own data is there...
    const mine = before.programApplications.find((a) => a.id === application!.id)!;
    expect(mine).toMatchObject({ status: "submitted", decision: null });
    expect(text).toContain("MY-OWN-MOTIVATION");
    // ...what the app hides from them is not: the unsent decision and who made it, the open
    // removal proposal, its reason and its proposer.
    expect(text).not.toContain("rejected");
    expect(JSON.stringify(mine)).not.toContain("decided_by");
    expect(text).not.toContain("SECRET-REMOVAL-REASON");
    expect(before.applicationsAndProposals.map((p) => p.kind)).toEqual(["roadie_application"]);
    expect(before.applicationsAndProposals.some((p) => "proposed_by_user_id" in p)).toBe(false);

    // Once the decision is sent it is theirs, in the export as on their applications page.
    await db()
      .update(schema.applications)
      .set({ decisionSentAt: now })
      .where(eq(schema.applications.id, application!.id));
    const after = JSON.parse(await exportFor(cookie)) as typeof before;
    expect(after.programApplications.find((a) => a.id === application!.id)).toMatchObject({ decision: "rejected" });
  });
});

describe("monthly reports leave out hidden calls and suspended people", () => {
  test("reports show only what a visitor may see: hidden calls and suspended people stay out of page, Markdown and Atom", async () => {
    const w = await world();
    const now = Date.now();
    const d = new Date(now);
    // Last month: complete, so the Atom feed carries it too.
    const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 10);
    const month = new Date(start).toISOString().slice(0, 7);
    const pkg = (await db()
      .select({ id: schema.packages.id })
      .from(schema.packages)
      .where(eq(schema.packages.name, MATRIX_PACKAGE))
      .get())!;
    const call = (title: string, postedBy: number) => ({
      packageId: pkg.id,
      kind: "triage-review" as const,
      title,
      description: "A call in last month's report.",
      hoursPerWeek: 2,
      urgency: "normal" as const,
      status: "filled" as const,
      expiresOn: "2099-01-01",
      postedByUserId: postedBy,
      createdAt: start,
      updatedAt: start,
      filledAt: start + 1000,
      timeToFillMs: 1000,
    });
    const [visible, hidden] = await db()
      .insert(schema.calls)
      .values([
        call("VISIBLE-REPORT-CALL", w.users.maintainer.id),
        call("HIDDEN-REPORT-CALL", w.users.maintainer.id),
        call("SUSPENDED-AUTHOR-CALL", w.users.suspended.id),
      ])
      .returning();
    await db()
      .insert(schema.moderationHides)
      .values({
        objectType: "call",
        objectId: String(hidden!.id),
        reason: "spam",
        hiddenByUserId: w.users.admin.id,
        createdAt: now,
      });
    // Both people became roadies last month; one of them is suspended now.
    await db()
      .insert(schema.memberships)
      .values(
        [w.users.volunteer.id, w.users.suspended.id].map((userId) => ({
          userId,
          role: "roadie" as const,
          status: "active" as const,
          startedAt: start,
          termEndsAt: start + 365 * 86_400_000,
        })),
      );

    const report = await reportPage.loader({
      request: new Request(`${APP}/reports/${month}`),
      params: { month },
      context,
    });
    const page = JSON.stringify(report);
    const markdown = await (
      (await reportMarkdown.loader({
        request: new Request(`${APP}/reports/${month}/markdown`),
        params: { month },
        context,
      })) as Response
    ).text();
    const atom = await ((await reportAtom.loader()) as Response).text();
    for (const [name, body] of [
      ["page", page],
      ["markdown", markdown],
    ] as const) {
      expect(body, name).toContain("VISIBLE-REPORT-CALL");
      expect(body, name).not.toContain("HIDDEN-REPORT-CALL");
      expect(body, name).not.toContain("SUSPENDED-AUTHOR-CALL");
      expect(body, name).toContain(w.users.volunteer.login);
      expect(body, name).not.toContain(w.users.suspended.login);
    }
    // The feed's entry summarises the same filtered report (its summary is cut short, so compare counts).
    const entry = atom.split("<entry>").find((e) => e.includes(`/reports/${month}<`))!;
    const plural = (n: number, word: string) => `${n} new ${word}${n === 1 ? "" : "s"}`;
    const { report: r } = report;
    expect(entry).toContain(`${plural(r.newCalls.length, "call")} for help, ${r.filledCalls.length} filled`);
    expect(entry).toContain(`${plural(r.roadies.length, "roadie")}.`);
    expect(entry).not.toContain(w.users.suspended.login);
    expect(visible).toBeDefined();
  });
});
