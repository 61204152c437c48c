// The Jobs page as an admin's browser receives it, rendered without JavaScript: a plain form per
// job that posts "Run now", a labelled filter that works by GET, runs with outcome words and errors.
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { APP, context, request } from "#tests/support/routes.ts";

process.env.APP_URL = APP;

const { db, schema } = await import("#app/utils/db.server.ts");
const { makeAdmin, cookieFor } = await import("#tests/support/factories.ts");
const jobsPage = await import("#app/routes/admin.jobs.tsx");

describe("the Jobs page without JavaScript", () => {
  it("has a Run now form per job, a labelled job filter, and shows a failed run's outcome and error", async () => {
    const admin = await makeAdmin("jobs-render-admin");
    const cookie = await cookieFor(admin.id);
    await db()
      .insert(schema.jobRuns)
      .values({
        name: "package-sync",
        attempt: 1,
        trigger: "schedule",
        instance: "machine-a:1",
        leaseHolder: "x",
        startedAt: Date.now() - 60_000,
        finishedAt: Date.now() - 19_000,
        outcome: "failed",
        error: "GitHub answered 502 Bad Gateway",
      });
    const routes = [
      {
        path: "/admin/jobs",
        loader: () => jobsPage.loader({ request: request("/admin/jobs", { cookie }), params: {}, context }),
        Component: jobsPage.default,
      },
    ];
    const handler = createStaticHandler(routes);
    const ctx = await handler.query(new Request(`${APP}/admin/jobs`));
    if (ctx instanceof Response) throw new Error(`unexpected ${ctx.status}`);
    const html = renderToString(
      <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, ctx)} context={ctx} hydrate={false} />,
    );
    expect(html).toContain("<h1>Jobs</h1>");
    expect(html.match(/<form method="post"/g)).toHaveLength(10);
    expect(html).toContain(
      'value="run-now" class="button button-secondary">Run now<span class="visually-hidden">: <!-- -->package-sync</span></button>',
    );
    expect(html).toContain('<label for="runs-job">Job</label>');
    expect(html).toMatch(/<form method="get"/);
    expect(html).toContain("Every day at 03:00 UTC");
    expect(html).toMatch(/Failed<\/span> (<!-- -->)?41 s/);
    expect(html).toContain("GitHub answered 502 Bad Gateway");
  });
});
