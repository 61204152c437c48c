// The words people read for stored codes, the "Order" list of calls, the decision email's claims
// about competition, the pause date's lower bound, error pages' titles and the charts' labels.
import { renderToString } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { callEventKinds, callStatuses, interestStatuses } from "#db/schema/calls.ts";
import {
  callSortOptions,
  callSortValue,
  describeCallEvent,
  interestStatusLabels,
  statusLabels,
} from "#app/models/calls/labels.ts";
import { applicationStateLabels, applicationStates, decisionLabels } from "#app/models/programs/labels.ts";
import { earliestPauseDay, preferencesSchema } from "#app/models/digest/preferences.ts";
import { competitionSentence } from "#emails/programs-decision.tsx";
import { BarChart } from "#app/components/bar-chart.tsx";
import { errorPageTitle, meta } from "#app/root.tsx";

const code = /[a-z]_[a-z]|→/;

describe("labels of stored codes", () => {
  test("every event of a call's history, with every status, reads as words", () => {
    for (const kind of callEventKinds)
      for (const from of [null, ...callStatuses])
        for (const to of [null, ...callStatuses]) {
          const line = describeCallEvent({ kind, fromStatus: from, toStatus: to, note: null });
          expect(line, `${kind} ${from} ${to}`).not.toMatch(code);
          expect(line).toMatch(/^[A-Z]/);
        }
    expect(describeCallEvent({ kind: "status_changed", fromStatus: "open", toStatus: "in_conversation" })).toBe(
      "Status changed from Open to In conversation",
    );
    expect(describeCallEvent({ kind: "renewed", fromStatus: null, toStatus: null, note: "until 2027-01-31" })).toBe(
      "Renewed: until 2027-01-31",
    );
  });

  test("call and interest statuses, application states and decisions each have a distinct label", () => {
    for (const [codes, labels] of [
      [callStatuses, statusLabels],
      [interestStatuses, interestStatusLabels],
      [applicationStates, applicationStateLabels],
    ] as const) {
      const words = codes.map((c) => (labels as Record<string, string>)[c]);
      expect(words.every((w) => w && !code.test(w))).toBe(true);
      expect(new Set(words).size).toBe(codes.length);
    }
    expect(decisionLabels).toEqual({ accepted: "Accepted", waitlisted: "Waitlisted", rejected: "Not selected" });
  });
});

describe("the Order list of calls", () => {
  test("offers each order once, with distinct labels, the default first", () => {
    for (const searching of [false, true]) {
      const options = callSortOptions(searching);
      expect(new Set(options.map((o) => o.label)).size).toBe(options.length);
      expect(new Set(options.map((o) => o.value)).size).toBe(options.length);
      expect(options[0]!.value).toBe("");
    }
    expect(callSortOptions(false).map((o) => o.label)).toEqual(["Newest first", "Most urgent first"]);
    expect(callSortOptions(true).map((o) => o.label)).toEqual(["Best match", "Newest first", "Most urgent first"]);
  });

  test("shows the order the list was drawn in", () => {
    expect(callSortValue(false, "newest")).toBe("");
    expect(callSortValue(true, "newest")).toBe("newest");
    expect(callSortValue(true, "relevance")).toBe("");
    expect(callSortValue(false, "urgent")).toBe("urgent");
  });
});

describe("the decision email's claim about competition", () => {
  test("says nothing when there were no more applications than places (7 for 22)", () => {
    expect(competitionSentence({ applications: 7, places: 22 })).toBeNull();
    expect(competitionSentence({ applications: 22, places: 22 })).toBeNull();
    expect(competitionSentence(undefined)).toBeNull();
  });

  test("gives the true numbers when there were more", () => {
    expect(competitionSentence({ applications: 40, places: 16 })).toBe("We received 40 applications for 16 places.");
    expect(competitionSentence({ applications: 2, places: 1 })).toBe("We received 2 applications for 1 place.");
  });
});

describe("the digest's pause", () => {
  const form = (pausedUntil: string) => ({ frequency: "weekly", pausedUntil, sections: ["calls"], dayOfWeek: 1 });

  test("may not end on a day that is already over everywhere on Earth", () => {
    const result = preferencesSchema.safeParse(form("2020-01-31"));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({
      path: ["pausedUntil"],
      message: "This day has already passed: choose today or a later day.",
    });
    const yesterdayEverywhere = new Date(Date.now() - 36 * 3_600_000).toISOString().slice(0, 10);
    expect(preferencesSchema.safeParse(form(yesterdayEverywhere)).success).toBe(false);
    expect(preferencesSchema.safeParse(form(earliestPauseDay())).success).toBe(true);
  });

  test("today is still today at UTC−12 until noon UTC of the next day", () => {
    expect(earliestPauseDay(Date.UTC(2026, 5, 2, 11, 59))).toBe("2026-06-01");
    expect(earliestPauseDay(Date.UTC(2026, 5, 2, 12, 0))).toBe("2026-06-02");
  });
});

describe("error pages", () => {
  const thrown = (status: number) => ({ status, statusText: "", internal: false, data: "" });

  test("have a title that says what happened", () => {
    expect(errorPageTitle(thrown(404))).toBe("Page not found");
    expect(errorPageTitle(thrown(403))).toBe("Not allowed");
    expect(errorPageTitle(thrown(409))).toBe("That has changed in the meantime");
    expect(errorPageTitle(new Error("boom"))).toBe("Something went wrong");
    const title = (error: unknown) =>
      (meta({ error } as Parameters<typeof meta>[0]) as { title?: string }[]).find((m) => m.title)?.title;
    expect(title(thrown(404))).toBe("Page not found · Roadies");
    expect(title(undefined)).toBe("Roadies · keeping Django packages alive");
  });
});

describe("bar charts", () => {
  test("draw their labels and values as page text, not inside a scaled SVG, and describe every bar", () => {
    const html = renderToString(
      <BarChart
        title="Declared Django support"
        caption="Share of packages."
        bars={[
          { label: "Django 5.2", value: 80 },
          { label: "Django 6.0", value: 0 },
        ]}
        max={100}
        unit="%"
        columns={["Django release", "Share of packages"]}
      />,
    );
    expect(html).not.toContain("<text");
    expect(html).toMatch(/<span class="chart-label">Django 5.2<\/span>/);
    expect(html).toMatch(/<span class="chart-value">80<!-- -->%<\/span>/);
    expect(html).toContain('role="img" aria-label="Declared Django support: Django 5.2 80%, Django 6.0 0%."');
    expect(html).toContain("<table>");
  });
});
