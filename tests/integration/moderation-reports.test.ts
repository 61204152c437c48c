// Reports reach the working group and come back: a person reports what they can see, once per
// object; an admin marks it handled or declined with a note; the person who reported is emailed the
// outcome. And the account export holds every kind of the person's own data, reports included.
import { afterAll, describe, expect, test } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeAdmin, makeCall, makePackage, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_reports_0123456789";
const standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;
afterAll(() => standIn.close());

const { db, schema } = await import("#app/utils/db.server.ts");
const reportRoute = await import("#app/routes/report.$type.$id.tsx");
const moderationRoute = await import("#app/routes/admin.moderation.tsx");
const exportRoute = await import("#app/routes/settings.account.export.ts");
const { verifyAuditChain } = await import("#app/models/moderation/audit.server.ts");

const reportPath = (type: string, id: string | number) => `/report/${type}/${id}`;

function report(cookie: string, type: string, id: string | number, reason?: string) {
  const path = reportPath(type, id);
  const params = { type, id: String(id) };
  if (reason === undefined)
    return run(() => reportRoute.loader({ request: request(path, { cookie }), params, context }));
  return run(() => reportRoute.action({ request: request(path, { cookie, form: { reason } }), params, context }));
}

describe("reports reach the working group and the reporter hears the outcome", () => {
  useFreshDatabase();

  test("report → queue → handled → the reporter is emailed the note; a second report of the same call is refused", async () => {
    const maintainer = await makeUser("rep-maintainer");
    const pkg = await makePackage("django-reported", [maintainer]);
    const call = await makeCall(pkg.id, maintainer, { title: "Cheap crypto, DM me" });
    const reporter = await makeUser("rep-reporter");
    const admin = await makeAdmin("rep-admin");
    const cookie = await cookieFor(reporter.id);

    expect((await report(cookie, "call", call.id)).status).toBe(200);
    expect((await report(cookie, "call", call.id, "too short")).status).toBe(400);
    const filed = await report(cookie, "call", call.id, "This call is spam advertising a crypto scheme.");
    expect(filed).toMatchObject({ status: 302, location: reportPath("call", call.id) });
    // Once filed, the page says so instead of offering the form again…
    const after = await report(cookie, "call", call.id);
    expect((after.value as { existing: { status: string } | null }).existing?.status).toBe("open");
    // …and a second report of the same call by the same person is refused.
    const again = await report(cookie, "call", call.id, "Reporting it once more, just in case.");
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.value)).toContain("You already reported this");
    expect(await db().select().from(schema.moderationReports).all()).toHaveLength(1);

    const adminCookie = await cookieFor(admin.id);
    const queue = await run(() =>
      moderationRoute.loader({ request: request("/admin/moderation", { cookie: adminCookie }), params: {}, context }),
    );
    const reports = (queue.value as { reports: { id: number; reason: string; reporter: string; href: string }[] })
      .reports;
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ reporter: "rep-reporter", href: `/calls/${call.id}` });

    const decide = (status: string) =>
      run(() =>
        moderationRoute.action({
          request: request("/admin/moderation", {
            cookie: adminCookie,
            form: { intent: "decide", reportId: String(reports[0]!.id), status, note: "We hid the call; thank you." },
          }),
          params: {},
          context,
        }),
      );
    expect(await decide("handled")).toMatchObject({ status: 302, location: "/admin/moderation" });
    // Decided once: a second decision is refused and sends nothing more.
    expect((await decide("declined")).status).toBe(409);

    const mails = standIn.sent().filter((m) => m.to.includes("rep-reporter@example.org"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Your report: we acted on it");
    expect(mails[0]!.text).toContain("We hid the call; thank you.");
    expect(mails[0]!.idempotencyKey).toBe(`moderation-report:${reports[0]!.id}`);
    expect((await report(cookie, "call", call.id)).value).toMatchObject({
      existing: { status: "handled", note: "We hid the call; thank you." },
    });

    const actions = (await db().select().from(schema.auditLog).all()).map((r) => r.action);
    expect(actions.filter((a) => a === "report.file")).toHaveLength(1);
    expect(actions.filter((a) => a === "report.handled")).toHaveLength(1);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  test("a person can report only what they can see, and not their own content", async () => {
    const maintainer = await makeUser("vis-maintainer");
    const volunteer = await makeUser("vis-volunteer");
    const stranger = await makeUser("vis-stranger");
    const pkg = await makePackage("django-visible", [maintainer]);
    const call = await makeCall(pkg.id, maintainer);
    const now = Date.now();
    const [interest] = await db()
      .insert(schema.callInterests)
      .values({ callId: call.id, userId: volunteer.id, message: "I can help.", createdAt: now, updatedAt: now })
      .returning();
    const [secret] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "security",
        title: "Confidential",
        details: "x",
        severity: "high",
        confidential: true,
        filedByUserId: maintainer.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [comment] = await db()
      .insert(schema.requestEvents)
      .values({ requestId: secret!.id, type: "comment", actorUserId: maintainer.id, body: "hush", createdAt: now })
      .returning();
    const strangerCookie = await cookieFor(stranger.id);
    // An interest's message is the maintainers' to report; a confidential comment is the participants'.
    expect((await report(strangerCookie, "interest", interest!.id)).status).toBe(404);
    expect((await report(await cookieFor(maintainer.id), "interest", interest!.id)).status).toBe(200);
    expect((await report(strangerCookie, "comment", comment!.id)).status).toBe(404);
    // Nobody reports themselves; a missing object answers like a hidden one.
    expect((await report(strangerCookie, "profile", "vis-stranger")).status).toBe(404);
    expect((await report(strangerCookie, "profile", "vis-volunteer")).status).toBe(200);
    expect((await report(strangerCookie, "call", 987654)).status).toBe(404);
    expect((await report(strangerCookie, "nonsense", 1)).status).toBe(404);
  });
});

describe("the account export holds every kind of the person's own data", () => {
  useFreshDatabase();

  test("a complete export: preferences, pools, answers, requests, dismissals, compatibility, check-ins and reports", async () => {
    const me = await makeUser("export-me");
    const admin = await makeAdmin("export-admin");
    const pkg = await makePackage("django-exported", [me]);
    const call = await makeCall(pkg.id, admin);
    const now = Date.now();
    await db().insert(schema.digestPreferences).values({ userId: me.id, frequency: "monthly", updatedAt: now });
    await db().insert(schema.emailOptOuts).values({ userId: me.id, kind: "calls-expiry", createdAt: now });
    await db().insert(schema.expertPoolMembers).values({
      kind: "security",
      userId: me.id,
      status: "active",
      evidence: "POOL-EVIDENCE: CVE triage for three packages",
      appliedAt: now,
      decidedAt: now,
      decidedByUserId: admin.id,
    });
    const [program] = await db()
      .insert(schema.programs)
      .values({
        slug: "export-programme",
        name: "Export programme",
        organisation: "Tests",
        seasonStart: "2030-01-01",
        seasonEnd: "2030-03-01",
        opensOn: "2029-11-01",
        closesOn: "2029-12-01",
        opensAt: now,
        closesAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const [role] = await db()
      .insert(schema.programRoles)
      .values({ programId: program!.id, name: "Participant", capacity: 1 })
      .returning();
    const [question] = await db()
      .insert(schema.programQuestions)
      .values({ programId: program!.id, kind: "short_text", label: "Why Django?", createdAt: now, updatedAt: now })
      .returning();
    const [application] = await db()
      .insert(schema.applications)
      .values({ programId: program!.id, roleId: role!.id, userId: me.id, createdAt: now, updatedAt: now })
      .returning();
    await db()
      .insert(schema.applicationAnswers)
      .values({ applicationId: application!.id, questionId: question!.id, value: "ANSWER: the ORM", updatedAt: now });
    const [filed] = await db()
      .insert(schema.specialRequests)
      .values({
        packageId: pkg.id,
        kind: "security",
        title: "FILED-TITLE: XSS in the admin",
        details: "FILED-DETAILS: steps to reproduce",
        severity: "high",
        confidential: true,
        filedByUserId: me.id,
        assigneeUserId: admin.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await db()
      .insert(schema.requestEvents)
      .values({ requestId: filed!.id, type: "comment", actorUserId: me.id, body: "MY-COMMENT", createdAt: now });
    await db()
      .insert(schema.matchDismissals)
      .values({ userId: me.id, itemKind: "call", itemId: String(call.id), createdAt: now });
    const release = (await db().select().from(schema.djangoReleases).get())!;
    await db().insert(schema.compatReports).values({
      packageId: pkg.id,
      version: release.version,
      status: "compatible",
      reportedByUserId: me.id,
      updatedAt: now,
    });
    await db().insert(schema.maintenanceCheckins).values({
      packageId: pkg.id,
      userId: me.id,
      quarter: "2030-Q1",
      sentAt: now,
      answer: "still_maintained",
      answeredAt: now,
    });
    await db()
      .insert(schema.moderationReports)
      .values({
        reporterUserId: me.id,
        objectType: "call",
        objectId: String(call.id),
        reason: "MY-REPORT-REASON: spam",
        createdAt: now,
      });

    const response = (await exportRoute.loader({
      request: request("/settings/account/export", { cookie: await cookieFor(me.id) }),
      params: {},
      context,
    })) as Response;
    const exported = (await response.json()) as Record<string, unknown>;
    expect(exported.preferences).toMatchObject({
      digest: { frequency: "monthly" },
      emailsSwitchedOff: [{ kind: "calls-expiry" }],
    });
    expect(exported.poolMemberships).toEqual([expect.objectContaining({ pool: "security", status: "active" })]);
    expect(exported.programApplicationAnswers).toEqual([
      expect.objectContaining({ question: "Why Django?", answer: "ANSWER: the ORM" }),
    ]);
    expect(exported.requestsFiled).toEqual([
      expect.objectContaining({ title: "FILED-TITLE: XSS in the admin", details: "FILED-DETAILS: steps to reproduce" }),
    ]);
    expect(exported.requestComments).toEqual([expect.objectContaining({ body: "MY-COMMENT" })]);
    expect(exported.notForMe).toEqual([expect.objectContaining({ kind: "call", id: String(call.id) })]);
    expect(exported.compatibilityReports).toEqual([
      expect.objectContaining({ package: "django-exported", djangoVersion: release.version, status: "compatible" }),
    ]);
    expect(exported.checkinAnswers).toEqual([
      expect.objectContaining({ quarter: "2030-Q1", answer: "still_maintained" }),
    ]);
    expect(exported.reportsFiled).toEqual([
      expect.objectContaining({ reason: "MY-REPORT-REASON: spam", status: "open", note: null }),
    ]);
    // Who decided (an admin) and who was assigned stay out, as in the app.
    const text = JSON.stringify(exported);
    expect(text).not.toContain("decidedBy");
    expect(text).not.toContain("assignee");
  });
});
