// The demo's maintainer surveys: a closed one whose results show (every question at least five
// answered, but for one optional question three answered, held back), its place in last month's
// report, and an open one that the other demo maintainers can still answer.
import { describe, expect, it } from "vitest";

describe("surveys demo data", () => {
  it("seeds a closed survey with results to show and an open one to answer", async () => {
    process.env.DEMO_MODE = "true";
    const { db } = await import("#app/utils/db.server.ts");
    const { seedDemo } = await import("#db/demo.ts");
    const { listSurveys } = await import("#app/models/surveys/surveys.server.ts");
    const { surveyResults } = await import("#app/models/surveys/results.server.ts");
    const { monthlyReport, monthOf } = await import("#app/models/ecosystem/ecosystem.server.ts");
    const now = Date.now();
    expect(await seedDemo(db(), now)).toEqual({ seeded: true });

    const surveys = await listSurveys(false, now);
    expect(surveys.map((s) => [s.state, s.responses])).toEqual([
      ["open", 3],
      ["closed", 11],
    ]);
    const closed = surveys.find((s) => s.state === "closed")!;
    const results = (await surveyResults(closed, { admin: false }, now))!;
    const heldBack = results.questions.filter((q) => q.kind !== "free_text" && q.figures === null);
    expect(heldBack.map((q) => q.answered)).toEqual([3]);
    expect(results.questions.filter((q) => q.figures).every((q) => q.answered >= 5)).toBe(true);
    expect(results.questions.find((q) => q.kind === "scale")!.mean).toBeGreaterThan(1);

    const report = await monthlyReport(monthOf(closed.closesAt - 1), now);
    expect(report.surveys.map((s) => s.title)).toEqual([closed.title]);
  });
});
