// The demo's people: a working group that can vote, roadies (one due for renewal, one lapsed), an
// open application, a transfer in progress and a nomination.
import { describe, expect, it } from "vitest";

describe("people demo data", () => {
  it("seeds the working group, roadies, an application, a transfer and a nomination", async () => {
    process.env.DEMO_MODE = "true";
    const { db, schema } = await import("#app/utils/db.server.ts");
    const { seedDemo } = await import("#db/demo.ts");
    const roadies = {
      ...(await import("#app/models/people/roadies.server.ts")),
      ...(await import("#app/models/people/votes.server.ts")),
      ...(await import("#app/models/people/terms.server.ts")),
    };
    const transfers = await import("#app/models/requests/transfers.server.ts");
    const nominations = await import("#app/models/calls/nominations.server.ts");
    const now = Date.now();
    expect(await seedDemo(db(), now)).toEqual({ seeded: true });

    expect((await roadies.listWorkingGroupMembers(now)).map((m) => m.login)).toEqual([
      "ada-demo",
      "gus-demo",
      "jo-demo",
      "kofi-demo",
    ]);
    expect((await roadies.listActiveRoadies(now)).map((m) => m.login)).toEqual(["chiara-demo", "dev-demo", "emi-demo"]);
    const hana = await roadies.findUserIdByLogin("hana-demo");
    expect((await roadies.listMemberships(hana!.id)).map((m) => m.status)).toEqual(["lapsed"]);
    const open = await roadies.listProposals(0, { status: "open" }, now);
    expect(open.map((p) => [p.subject.login, p.tally.approvals, p.tally.needed])).toEqual([["farah-demo", 1, 3]]);

    const [transfer] = await transfers.listTransfers();
    const detail = (await transfers.getTransfer(transfer!.id))!;
    expect(detail).toMatchObject({ packageName: "django-dbtemplates", status: "in_progress" });
    expect(detail.roadie?.login).toBe("chiara-demo");
    expect(detail.successor?.login).toBe("mateo-demo");
    expect(detail.steps.filter((s) => s.doneAt).map((s) => s.id)).toEqual(["repository"]);

    const [nomination] = await nominations.listNominations();
    expect(nomination?.packageName).toBe("django-embed-video");
    expect(nomination?.maintainers).toContain("bruno-demo");

    // The roadie whose term ends in about 10 days gets the 14-day reminder from the terms job.
    const result = await roadies.runTermsJob(now);
    expect(result.reminded).toBe(1);
    const outbox = await db().select().from(schema.outboxEmails).all();
    expect(outbox.map((m) => m.subject)).toContain("Your roadie term ends in 14 days");
  });
});
