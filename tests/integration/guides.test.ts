// The guides as content kept by the working group: the project's texts are the first revisions;
// anyone signed in suggests an edit, only working-group members and roadies decide it, accepting
// publishes a revision credited to the author (merged onto newer text, or refused when it clashes),
// the author hears the outcome in the inbox and by email (unless switched off); freshness (due after
// 12 months, "reviewed, no change"), the month's report section, the Atom feed and search.
import { afterAll, describe, expect, test } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { APP, context, request, run } from "#tests/support/routes.ts";
import { cookieFor, makeAdmin, makeUser } from "#tests/support/factories.ts";
import { useFreshDatabase } from "#tests/support/database.ts";
import { startResendStandIn } from "#tests/fakes/resend.ts";

const API_KEY = "re_test_guides_0123456789";
const standIn = await startResendStandIn({ apiKey: API_KEY, rateLimitPerSecond: null });
process.env.RESEND_API_KEY = API_KEY;
process.env.RESEND_BASE_URL = standIn.url;
process.env.EMAIL_FROM = "Roadies <roadies@example.org>";
process.env.APP_URL = APP;
delete process.env.DEMO_MODE;
afterAll(() => standIn.close());

const { db, schema } = await import("#app/utils/db.server.ts");
const { and, eq } = await import("drizzle-orm");
const { seedReference } = await import("#db/seed.ts");
const guides = await import("#app/models/guides/guides.server.ts");
const { searchGuides } = await import("#app/models/guides/search.server.ts");
const indexRoute = await import("#app/routes/guides.tsx");
const guideRoute = await import("#app/routes/guides_.$slug.tsx");
const historyRoute = await import("#app/routes/guides_.$slug_.history.tsx");
const suggestRoute = await import("#app/routes/guides_.$slug_.suggest.tsx");
const listRoute = await import("#app/routes/guides_.suggestions._index.tsx");
const suggestionRoute = await import("#app/routes/guides_.suggestions.$id.tsx");
const atomRoute = await import("#app/routes/guides[.]atom.ts");
const searchRoute = await import("#app/routes/search.tsx");

const DAY = 86_400_000;

async function roadie(login: string) {
  const user = await makeUser(login);
  await db()
    .insert(schema.memberships)
    .values({ userId: user.id, role: "roadie", status: "active", startedAt: 0, termEndsAt: Date.now() + 365 * DAY });
  return user;
}

async function current(slug: string) {
  const guide = await guides.getGuide(slug);
  return guide!;
}

function suggest(cookie: string, slug: string, form: Record<string, string>, query = "") {
  const path = `/guides/${slug}/suggest${query}`;
  return run(() => suggestRoute.action({ request: request(path, { cookie, form }), params: { slug }, context }));
}

function onSuggestion(cookie: string, id: number, form: Record<string, string>) {
  const path = `/guides/suggestions/${id}`;
  return run(() =>
    suggestionRoute.action({ request: request(path, { cookie, form }), params: { id: String(id) }, context }),
  );
}

function viewSuggestion(cookie: string | undefined, id: number) {
  const path = `/guides/suggestions/${id}`;
  return run(() => suggestionRoute.loader({ request: request(path, { cookie }), params: { id: String(id) }, context }));
}

const idFrom = (location: string | null) => Number(/\/guides\/suggestions\/(\d+)/.exec(location ?? "")?.[1]);

describe("the project's guides are the first revisions", () => {
  useFreshDatabase();

  test("each reference guide is revision 1, written by the project; starting again adds nothing", async () => {
    await seedReference(db());
    const revisions = await db().select().from(schema.guideRevisions).all();
    expect(revisions.map((r) => r.number)).toEqual([1, 1, 1]);
    expect(revisions.every((r) => r.authorUserId === null)).toBe(true);
    const list = await guides.listGuides();
    expect(list.map((g) => g.slug)).toEqual(["best-practices", "security", "funding"]);
  });

  test("/guides shows the guide list and the best practices with their anchors; old URLs keep working", async () => {
    const index = await run(() => indexRoute.loader({ request: request("/guides"), params: {}, context }));
    const value = index.value as { guides: { href: string }[]; main: { html: string } };
    expect(value.guides.map((g) => g.href)).toEqual(["/guides", "/guides/security", "/guides/funding"]);
    expect(value.main.html).toContain('id="classifiers"');
    const security = await run(() =>
      guideRoute.loader({ request: request("/guides/security"), params: { slug: "security" }, context }),
    );
    expect((security.value as { guide: { title: string } }).guide.title).toBe("Handling a vulnerability report");
    const funding = await run(() =>
      guideRoute.loader({ request: request("/guides/funding"), params: { slug: "funding" }, context }),
    );
    expect(funding.status).toBe(200);
    const own = await run(() =>
      guideRoute.loader({ request: request("/guides/best-practices"), params: { slug: "best-practices" }, context }),
    );
    expect(own).toMatchObject({ status: 301, location: "/guides" });
    const missing = await run(() =>
      guideRoute.loader({ request: request("/guides/nope"), params: { slug: "nope" }, context }),
    );
    expect(missing.status).toBe(404);
  });
});

describe("a suggestion goes from a newcomer to a published revision, decided only by reviewers", () => {
  useFreshDatabase();

  test("suggest → reviewers see it, others do not → comment → accept: revision 2 credited to the author, who is told", async () => {
    const newcomer = await makeUser("gd-newcomer");
    const bystander = await makeUser("gd-bystander");
    const reviewer = await roadie("gd-roadie");
    const newcomerCookie = await cookieFor(newcomer.id);
    const reviewerCookie = await cookieFor(reviewer.id);
    const bystanderCookie = await cookieFor(bystander.id);
    const before = await current("security");

    // The form starts from the current text.
    const form = await run(() =>
      suggestRoute.loader({
        request: request("/guides/security/suggest", { cookie: newcomerCookie }),
        params: { slug: "security" },
        context,
      }),
    );
    expect((form.value as { body: string }).body).toBe(before.body);
    // Signed out: sent to sign in.
    const anonymous = await run(() =>
      suggestRoute.loader({ request: request("/guides/security/suggest"), params: { slug: "security" }, context }),
    );
    expect(anonymous.location).toMatch(/^\/login/);
    // The same text again is no suggestion.
    const unchanged = await suggest(newcomerCookie, "security", {
      body: before.body,
      note: "No change",
      baseRevision: "1",
    });
    expect(unchanged.status).toBe(400);
    expect(JSON.stringify(unchanged.value)).toContain("same as the guide");

    const body = before.body.replace(
      "how quickly you aim to answer.",
      "how quickly you aim to answer (a week is fine).",
    );
    const sent = await suggest(newcomerCookie, "security", { body, note: "Give a reply time", baseRevision: "1" });
    expect(sent.status).toBe(302);
    const id = idFrom(sent.location);

    // The author and reviewers see it; anyone else gets the 404 of a missing suggestion.
    expect((await viewSuggestion(newcomerCookie, id)).status).toBe(200);
    expect((await viewSuggestion(await cookieFor(bystander.id), id)).status).toBe(404);
    expect((await viewSuggestion(undefined, id)).location).toMatch(/^\/login/);
    const page = (await viewSuggestion(reviewerCookie, id)).value as {
      canDecide: boolean;
      change: { added: number; removed: number };
    };
    expect(page.canDecide).toBe(true);
    expect(page.change).toMatchObject({ added: 1, removed: 1 });

    // Reviewers list it as waiting; the bystander's own list is empty.
    const list = await run(() =>
      listRoute.loader({ request: request("/guides/suggestions", { cookie: reviewerCookie }), params: {}, context }),
    );
    expect((list.value as { suggestions: { id: number }[] }).suggestions.map((s) => s.id)).toContain(id);
    const theirs = await run(() =>
      listRoute.loader({ request: request("/guides/suggestions", { cookie: bystanderCookie }), params: {}, context }),
    );
    expect((theirs.value as { suggestions: unknown[] }).suggestions).toEqual([]);

    // Only reviewers decide: the author and a bystander are refused.
    expect((await onSuggestion(newcomerCookie, id, { intent: "accept", currentRevision: "1" })).status).toBe(403);
    expect(
      (await onSuggestion(await cookieFor(bystander.id), id, { intent: "accept", currentRevision: "1" })).status,
    ).toBe(404);

    expect((await onSuggestion(reviewerCookie, id, { intent: "comment", body: "Nice, thank you!" })).status).toBe(302);
    const accepted = await onSuggestion(reviewerCookie, id, { intent: "accept", currentRevision: "1" });
    expect(accepted).toMatchObject({ status: 302, location: `/guides/suggestions/${id}?published=2` });

    const after = await current("security");
    expect(after.currentRevision).toBe(2);
    expect(after.body).toContain("(a week is fine)");
    const [revision] = await db()
      .select()
      .from(schema.guideRevisions)
      .where(and(eq(schema.guideRevisions.guideId, after.id), eq(schema.guideRevisions.number, 2)));
    expect(revision).toMatchObject({
      authorUserId: newcomer.id,
      publishedByUserId: reviewer.id,
      note: "Give a reply time",
    });

    // The history credits the author and shows the change between any two revisions.
    const history = await run(() =>
      historyRoute.loader({
        request: request("/guides/security/history?from=1&to=2"),
        params: { slug: "security" },
        context,
      }),
    );
    const h = history.value as {
      revisions: { number: number; authorLogin: string | null }[];
      compare: { diff: { added: number } };
    };
    expect(h.revisions[0]).toMatchObject({ number: 2, authorLogin: "gd-newcomer" });
    expect(h.compare.diff.added).toBe(1);

    // The author is told in the inbox (comment and outcome) and by email.
    const inbox = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, newcomer.id));
    expect(inbox.map((n) => n.kind).sort()).toEqual(["guide-suggestion-comment", "guide-suggestion-decided"]);
    const mails = standIn.sent().filter((m) => m.to.includes("gd-newcomer@example.org"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("Published");

    // Decided once: a second accept is refused.
    expect((await onSuggestion(reviewerCookie, id, { intent: "accept", currentRevision: "2" })).status).toBe(409);
  });

  test("a reviewer cannot publish their own suggestion; a decline needs a reason and respects the author's email switch", async () => {
    const reviewer = await makeAdmin("gd-admin");
    const other = await roadie("gd-other-roadie");
    const author = await makeUser("gd-quiet");
    await db()
      .insert(schema.emailOptOuts)
      .values({ userId: author.id, kind: "guides-suggestion-outcome", createdAt: 1 });
    const guide = await current("funding");
    const own = await suggest(await cookieFor(reviewer.id), "funding", {
      body: guide.body.replace("## Grants", "## Grants and prizes"),
      note: "Rename the section",
      baseRevision: String(guide.currentRevision),
    });
    const ownId = idFrom(own.location);
    const refused = await onSuggestion(await cookieFor(reviewer.id), ownId, { intent: "accept", currentRevision: "1" });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.value)).toContain("another reviewer");

    const theirs = await suggest(await cookieFor(author.id), "funding", {
      body: `${guide.body}\nMore funding ideas.\n`,
      note: "Add a line",
      baseRevision: "1",
    });
    const id = idFrom(theirs.location);
    const otherCookie = await cookieFor(other.id);
    expect((await onSuggestion(otherCookie, id, { intent: "decline", reason: "" })).status).toBe(400);
    expect(
      (await onSuggestion(otherCookie, id, { intent: "decline", reason: "Too vague to help readers." })).status,
    ).toBe(302);
    const [row] = await db().select().from(schema.guideSuggestions).where(eq(schema.guideSuggestions.id, id));
    expect(row).toMatchObject({ status: "declined", declineReason: "Too vague to help readers." });
    expect((await current("funding")).currentRevision).toBe(1);
    // Told in the inbox; no email, as they switched these off.
    const inbox = await db().select().from(schema.notifications).where(eq(schema.notifications.userId, author.id));
    expect(inbox.map((n) => n.kind)).toEqual(["guide-suggestion-decided"]);
    expect(standIn.sent().filter((m) => m.to.includes("gd-quiet@example.org"))).toEqual([]);
  });

  test("a suggestion that removes a section other pages link to is refused", async () => {
    const person = await makeUser("gd-anchor");
    const guide = await current("best-practices");
    const result = await suggest(await cookieFor(person.id), "best-practices", {
      body: guide.body.replace("{#classifiers}", ""),
      note: "Tidy a heading",
      baseRevision: String(guide.currentRevision),
    });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.value)).toContain("{#classifiers}");
  });
});

describe("a suggestion made before the guide changed", () => {
  useFreshDatabase();

  test("when the changes touch other lines, accepting publishes both; when they clash, it is refused and nothing changes", async () => {
    const reviewer = await roadie("gd-merge-roadie");
    const cookie = await cookieFor(reviewer.id);
    const a = await makeUser("gd-merge-a");
    const aCookie = await cookieFor(a.id);
    const b = await makeUser("gd-merge-b");
    const c = await makeUser("gd-merge-c");
    const base = (await current("funding")).body;
    const first = idFrom(
      (
        await suggest(await cookieFor(a.id), "funding", {
          body: base.replace("## Grants {#grants}", "## Grants {#grants}\n\nGrants take time."),
          note: "Grants take time",
          baseRevision: "1",
        })
      ).location,
    );
    const second = idFrom(
      (
        await suggest(await cookieFor(b.id), "funding", {
          body: base.replace("## Making any of them work", "## Making any of it work"),
          note: "Grammar",
          baseRevision: "1",
        })
      ).location,
    );
    const clash = idFrom(
      (
        await suggest(await cookieFor(c.id), "funding", {
          body: base.replace("## Making any of them work", "## Making funding work"),
          note: "Clearer",
          baseRevision: "1",
        })
      ).location,
    );
    expect((await onSuggestion(cookie, first, { intent: "accept", currentRevision: "1" })).status).toBe(302);

    // The page loaded before revision 2 is out of date: refused, so the reviewer sees the new state.
    expect((await onSuggestion(cookie, second, { intent: "accept", currentRevision: "1" })).status).toBe(409);
    const view = (await viewSuggestion(cookie, second)).value as { plan: { kind: string; merged: { added: number } } };
    expect(view.plan.kind).toBe("merged");
    expect((await onSuggestion(cookie, second, { intent: "accept", currentRevision: "2" })).status).toBe(302);
    const merged = await current("funding");
    expect(merged.currentRevision).toBe(3);
    expect(merged.body).toContain("Grants take time.");
    expect(merged.body).toContain("## Making any of it work");

    // The third changed the same heading as the second: it cannot be published as is.
    const clashView = (await viewSuggestion(cookie, clash)).value as { plan: { kind: string }; canDecide: boolean };
    expect(clashView.plan.kind).toBe("conflict");
    const refused = await onSuggestion(cookie, clash, { intent: "accept", currentRevision: "3" });
    expect(refused.status).toBe(409);
    expect((await current("funding")).currentRevision).toBe(3);

    // Its author updates it on the current text; then it can be published.
    const update = await suggest(
      await cookieFor(c.id),
      "funding",
      {
        body: merged.body.replace("## Making any of it work", "## Making funding work"),
        note: "Clearer, on the new text",
        baseRevision: "3",
      },
      `?edit=${clash}`,
    );
    expect(update.status).toBe(302);
    expect((await onSuggestion(cookie, clash, { intent: "accept", currentRevision: "3" })).status).toBe(302);
    expect((await current("funding")).body).toContain("## Making funding work");
    // Someone else cannot edit that suggestion.
    const hijack = await run(() =>
      suggestRoute.loader({
        request: request(`/guides/funding/suggest?edit=${clash}`, { cookie: aCookie }),
        params: { slug: "funding" },
        context,
      }),
    );
    expect(hijack.status).toBe(404);
  });
});

describe("freshness, the month's report, the feed and search", () => {
  useFreshDatabase();

  test("a guide unreviewed for 12 months is due; a reviewer marks it reviewed; others cannot", async () => {
    const guide = await current("funding");
    await db()
      .update(schema.guides)
      .set({ lastReviewedAt: Date.now() - 400 * DAY })
      .where(eq(schema.guides.id, guide.id));
    expect((await current("funding")).due).toBe(true);
    const page = await run(() =>
      guideRoute.loader({ request: request("/guides/funding"), params: { slug: "funding" }, context }),
    );
    expect((page.value as { guide: { due: boolean } }).guide.due).toBe(true);
    expect((await guides.guidesNeedingAttention()).due.map((g) => g.slug)).toEqual(["funding"]);

    const volunteer = await makeUser("gd-fresh-volunteer");
    const mark = (cookie: string, revision: string) =>
      run(() =>
        historyRoute.action({
          request: request("/guides/funding/history", {
            cookie,
            form: { intent: "reviewed", currentRevision: revision },
          }),
          params: { slug: "funding" },
          context,
        }),
      );
    expect((await mark(await cookieFor(volunteer.id), "1")).status).toBe(403);
    const reviewer = await roadie("gd-fresh-roadie");
    expect((await mark(await cookieFor(reviewer.id), "7")).status).toBe(409);
    expect((await mark(await cookieFor(reviewer.id), "1")).status).toBe(302);
    const fresh = await current("funding");
    expect(fresh).toMatchObject({ due: false, reviewerLogin: "gd-fresh-roadie", currentRevision: 1 });
  });

  test("the month's report lists the guides changed that month and those due", async () => {
    const from = Date.now();
    const reviewer = await roadie("gd-report-roadie");
    const author = await makeUser("gd-report-author");
    const guide = await current("security");
    const id = idFrom(
      (
        await suggest(await cookieFor(author.id), "security", {
          body: `${guide.body}\nOne more line.\n`,
          note: "One more line",
          baseRevision: "1",
        })
      ).location,
    );
    await onSuggestion(await cookieFor(reviewer.id), id, { intent: "accept", currentRevision: "1" });
    await db()
      .update(schema.guides)
      .set({ lastReviewedAt: Date.now() - 500 * DAY })
      .where(eq(schema.guides.slug, "best-practices"));
    const now = Date.now();
    const section = await guides.guidesReportSection(from, now + 1);
    expect(section.changed.map((c) => [c.slug, c.lastNote])).toEqual([["security", "One more line"]]);
    expect(section.due.map((d) => d.slug)).toEqual(["best-practices"]);
    // The month's report carries the section, on its page and in its Markdown.
    const { monthlyReport, reportMarkdown } = await import("#app/models/ecosystem/ecosystem.server.ts");
    const report = await monthlyReport(new Date(now).toISOString().slice(0, 7), now);
    const markdown = reportMarkdown(report, APP);
    expect(markdown).toContain("## Guides changed");
    expect(markdown).toContain(`[Handling a vulnerability report](${APP}/guides/security)`);
    expect(markdown).toContain("## Guides due for review");
    expect(markdown).toContain(`(${APP}/guides), last reviewed`);
  });

  test("the Atom feed parses and has one entry per published revision, newest first, with stable ids", async () => {
    const response = (await atomRoute.loader({ request: request("/guides.atom"), params: {}, context })) as Response;
    expect(response.headers.get("content-type")).toContain("application/atom+xml");
    const feed = new XMLParser({ ignoreAttributes: false }).parse(await response.text()).feed;
    const entries = [feed.entry].flat();
    expect(entries.length).toBe(4);
    expect(entries[0].title).toBe("Handling a vulnerability report: revision 2");
    expect(entries[0].id).toBe("tag:127.0.0.1,2026:guide:security:revision:2");
    expect(entries[0].link.find((l: Record<string, string>) => l["@_rel"] === "alternate")["@_href"]).toBe(
      `${APP}/guides/security/history?from=1&to=2`,
    );
    expect(entries[0].author.name).toBe("GD-REPORT-AUTHOR");
  });

  test("search finds a guide's section and links to its anchor; published changes are searchable at once", async () => {
    const hits = await searchGuides("django-upgrade target");
    expect(hits[0]).toMatchObject({ slug: "best-practices", href: "/guides#django-upgrade" });
    expect(await searchGuides("One more line")).toEqual([
      expect.objectContaining({ slug: "security", href: "/guides/security#deadlines" }),
    ]);
    const page = await run(() => searchRoute.loader({ request: request("/search?q=sponsors"), params: {}, context }));
    const value = page.value as { guides: { href: string; parts: { match: boolean }[] }[] };
    expect(value.guides[0]!.href).toBe("/guides/funding#recurring-support");
    expect(value.guides[0]!.parts.some((p) => p.match)).toBe(true);
    expect(await searchGuides("zzzznothing")).toEqual([]);
  });
});
