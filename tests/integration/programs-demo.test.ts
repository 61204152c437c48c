// The demo's programmes: a Djangonaut Space session open now, a closed GSoC round, projects on
// real demo packages, and applications in every state an applicant can see.
import { describe, expect, it } from "vitest";

describe("programme demo data", () => {
  it("seeds an open Djangonaut Space session, a closed GSoC round, projects and every application state", async () => {
    process.env.DEMO_MODE = "true";
    const { db } = await import("#app/utils/db.server.ts");
    const { seedDemo } = await import("#db/demo.ts");
    const programs = await import("#app/models/programs/programs.server.ts");
    const mentoring = await import("#app/models/programs/projects.server.ts");
    const applications = await import("#app/models/programs/applications.server.ts");
    const alumni = await import("#app/models/programs/alumni.server.ts");
    const now = Date.now();
    expect(await seedDemo(db(), now)).toEqual({ seeded: true });

    const groups = await programs.listPrograms(now);
    expect(groups.open.map((p) => p.organisation)).toContain("Djangonaut Space");
    expect(groups.closed.map((p) => p.organisation)).toContain("Django Software Foundation");
    const ds = groups.open.find((p) => p.organisation === "Djangonaut Space")!;
    expect(ds.windowTimezone).toBe("AoE");
    expect((await programs.listRoles(ds.id)).map((r) => r.name)).toEqual(["Djangonaut", "Navigator", "Captain"]);
    const projects = await mentoring.listProjects(ds.id);
    expect(projects.length).toBeGreaterThanOrEqual(3);
    expect(projects.map((p) => p.packageSlug)).toContain("django-taggit");

    const { schema } = await import("#app/utils/db.server.ts");
    const everyone = await db().select({ id: schema.users.id }).from(schema.users).all();
    const statuses = new Set<string>();
    for (const u of everyone) for (const a of await applications.listMyApplications(u.id)) statuses.add(a.status);
    expect([...statuses].sort()).toEqual([
      "accepted",
      "declined",
      "draft",
      "rejected",
      "submitted",
      "waitlisted",
      "withdrawn",
    ]);

    const hana = await db().query.users.findFirst({ where: (u, { eq }) => eq(u.login, "hana-demo") });
    expect(await alumni.isAlumnus(hana!.id)).toBe(true);
  });
});
