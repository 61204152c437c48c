// The demo's Jobs page: ada-demo (a working-group admin) sees two days of history — a package sync
// that failed and succeeded on its retry, a run abandoned when its machine went away and taken over,
// and her own "Run now".
import { describe, expect, it } from "vitest";
import { APP, context, request, run } from "#tests/support/routes.ts";

process.env.APP_URL = APP;
process.env.DEMO_MODE = "true";

describe("jobs demo data", () => {
  it("shows run history with a retried failure, an abandoned run and a manual run on /admin/jobs", async () => {
    const { db, schema } = await import("#app/utils/db.server.ts");
    const { seedDemo } = await import("#db/demo.ts");
    const { cookieFor } = await import("#tests/support/factories.ts");
    const jobsPage = await import("#app/routes/admin.jobs.tsx");
    const { eq } = await import("drizzle-orm");
    expect(await seedDemo(db(), Date.now())).toEqual({ seeded: true });
    const ada = (await db().select().from(schema.users).where(eq(schema.users.login, "ada-demo")).get())!;
    const cookie = await cookieFor(ada.id);
    const load = async (path: string) => {
      const page = await run(() => jobsPage.loader({ request: request(path, { cookie }), params: {}, context }));
      expect(page.status).toBe(200);
      return page.value as Awaited<ReturnType<typeof jobsPage.loader>>;
    };

    const sync = await load("/admin/jobs?job=package-sync");
    expect(sync.runs.map((r) => [r.attempt, r.outcome]).slice(-2)).toEqual([
      [2, "ok"],
      [1, "failed"],
    ]);
    expect(sync.runs.at(-1)!.error).toMatch(/502/);

    const sweeper = await load("/admin/jobs?job=requests-sweeper");
    expect(sweeper.runs.some((r) => r.outcome === "abandoned")).toBe(true);

    const all = await load("/admin/jobs");
    expect(all.jobs.find((j) => j.name === "survey-reminders")!.lastRun).toMatchObject({
      trigger: "manual",
      requestedBy: "ada-demo",
    });
    expect(all.hasMore).toBe(true); // more than a page of history: the pager shows
  });
});
