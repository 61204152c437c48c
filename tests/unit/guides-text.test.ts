// The guides' text machinery: readable diffs (what changed, word by word, nothing lost), the merge
// that lets a suggestion made on an older revision be published, stable heading anchors, and the
// project's reference files.
import { describe, expect, test } from "vitest";
import { diffTexts, mergeOnto, type DiffBlock } from "#app/models/guides/diff.ts";
import { headingAnchor, markdownSections, renderMarkdownDocument } from "#app/utils/markdown.server.ts";
import { guideLinks, guidePath, linkedAnchors, parseGuideLink } from "#app/models/guides/paths.ts";
import { parseReferenceGuide, referenceGuides } from "#db/reference/guides.ts";
import { isDueForReview, reviewDueAt } from "#app/models/guides/guides.server.ts";

/** The text on each side of a diff, rebuilt from its blocks (folded lines excepted). */
function sides(blocks: DiffBlock[]) {
  const before: string[] = [];
  const after: string[] = [];
  for (const b of blocks) {
    if (b.kind === "same") {
      before.push(...b.before, ...b.after);
      after.push(...b.before, ...b.after);
    } else if (b.kind === "added") after.push(...b.lines);
    else if (b.kind === "removed") before.push(...b.lines);
    else {
      before.push(
        b.parts
          .filter((p) => p.kind !== "added")
          .map((p) => p.text)
          .join(""),
      );
      after.push(
        b.parts
          .filter((p) => p.kind !== "removed")
          .map((p) => p.text)
          .join(""),
      );
    }
  }
  return { before: before.join("\n"), after: after.join("\n") };
}

describe("diffs between two revisions are readable and complete", () => {
  test("identical texts have no difference, whatever their line endings", () => {
    expect(diffTexts("a\r\nb\r\n", "a\nb").identical).toBe(true);
  });

  test("a rewritten paragraph shows the removed and added words, the rest of the line unchanged", () => {
    const diff = diffTexts(
      "Run django-upgrade with the newest Django.\n",
      "Run django-upgrade with the oldest Django.\n",
    );
    expect(diff).toMatchObject({ added: 1, removed: 1, identical: false });
    const changed = diff.blocks.find((b) => b.kind === "changed");
    expect(changed?.kind).toBe("changed");
    if (changed?.kind !== "changed") return;
    expect(changed.parts.filter((p) => p.kind === "removed").map((p) => p.text)).toEqual(["newest"]);
    expect(changed.parts.filter((p) => p.kind === "added").map((p) => p.text)).toEqual(["oldest"]);
    expect(sides(diff.blocks)).toEqual({
      before: "Run django-upgrade with the newest Django.",
      after: "Run django-upgrade with the oldest Django.",
    });
  });

  test("added and removed lines are counted, and long unchanged runs are folded with their count", () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
    const after = [...lines.slice(0, 15), "new line", ...lines.slice(15, 29)];
    const diff = diffTexts(lines.join("\n"), after.join("\n"));
    expect(diff.added).toBe(1);
    expect(diff.removed).toBe(1);
    const folded = diff.blocks.filter((b) => b.kind === "same" && b.hidden > 0);
    expect(folded.length).toBeGreaterThan(0);
    expect(diff.blocks[0]).toMatchObject({ kind: "same", hidden: 13, before: [], after: ["line 13", "line 14"] });
  });
});

describe("a suggestion made on an older revision can still be published", () => {
  const base = "# Guide\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n";
  test("changes to other lines merge: both the newer revision and the suggestion are kept", () => {
    const current = base.replace("First paragraph.", "First paragraph, fixed by a reviewer.");
    const proposed = base.replace("Third paragraph.", "Third paragraph, improved by a newcomer.");
    expect(mergeOnto(base, proposed, current)).toBe(
      "# Guide\n\nFirst paragraph, fixed by a reviewer.\n\nSecond paragraph.\n\nThird paragraph, improved by a newcomer.\n",
    );
  });
  test("a suggestion that makes the change a newer revision already made merges to that revision", () => {
    const fixed = base.replace("Second paragraph.", "Second paragraph, fixed.");
    expect(mergeOnto(base, fixed, fixed)).toBe(fixed);
  });
  test("lines inserted above by a newer revision do not move the suggestion's change to the wrong place", () => {
    const current = base.replace("# Guide\n", "# Guide\n\nA new opening paragraph.\n");
    const proposed = base.replace("Third paragraph.", "Third paragraph!");
    expect(mergeOnto(base, proposed, current)).toBe(
      "# Guide\n\nA new opening paragraph.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph!\n",
    );
  });
  test("changes to the same line are a conflict a person must resolve", () => {
    const current = base.replace("Second paragraph.", "Second paragraph (reviewer).");
    const proposed = base.replace("Second paragraph.", "Second paragraph (newcomer).");
    expect(mergeOnto(base, proposed, current)).toBeNull();
  });
});

describe("section anchors are stable", () => {
  test("an anchor comes from the heading's words, the same every time", () => {
    expect(headingAnchor("Let django-upgrade do the mechanical work")).toBe(
      "let-django-upgrade-do-the-mechanical-work",
    );
    expect(headingAnchor("Déclarer les “classifiers”!")).toBe("declarer-les-classifiers");
    expect(headingAnchor("???")).toBe("section");
  });

  test("{#id} after a heading fixes its anchor and is not shown; repeated headings get -2", () => {
    const { html, headings } = renderMarkdownDocument(
      "## Test against pre-releases {#pre-releases}\n\ntext\n\n## Notes\n\n## Notes\n\n### `code` in a heading\n",
    );
    expect(headings.map((h) => h.id)).toEqual(["pre-releases", "notes", "notes-2", "code-in-a-heading"]);
    expect(html).toContain('<h2 id="pre-releases">Test against pre-releases</h2>');
    expect(html).not.toContain("{#");
    // Under a page's own h2 (the guides index), sections render one level lower, same anchors.
    const embedded = renderMarkdownDocument("## Grants {#grants}\n", { headingOffset: 1 });
    expect(embedded.html).toContain('<h3 id="grants">Grants</h3>');
    expect(embedded.headings).toEqual([{ level: 2, text: "Grants", id: "grants" }]);
  });

  test("guide text stays under the site's safe Markdown rules: raw HTML is shown as text, scripts never run", () => {
    const { html } = renderMarkdownDocument(
      "## Hi <img src=x onerror=alert(1)>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))",
    );
    expect(html).not.toMatch(/<script|<img|href="javascript/);
  });

  test("sections carry their anchor, heading and plain text (for search)", () => {
    expect(markdownSections("Intro **bold**.\n\n## Grants {#grants}\n\n- DSF grants\n")).toEqual([
      { anchor: "", heading: "", text: "Intro bold." },
      { anchor: "grants", heading: "Grants", text: "DSF grants" },
    ]);
  });
});

describe("guide links", () => {
  test("the best-practices guide is /guides itself, every other guide /guides/<slug>", () => {
    expect(guidePath("best-practices", "naming")).toBe("/guides#naming");
    expect(guidePath("security")).toBe("/guides/security");
    expect(parseGuideLink("/guides#classifiers")).toEqual({ slug: "best-practices", anchor: "classifiers" });
    expect(parseGuideLink("/guides/security#deadlines")).toEqual({ slug: "security", anchor: "deadlines" });
    expect(parseGuideLink("/calls")).toBeNull();
  });
  test("every section link of the site names an anchor of a guide", () => {
    for (const href of Object.values(guideLinks)) expect(parseGuideLink(href)?.anchor, href).toBeTruthy();
    expect(linkedAnchors("best-practices")).toContain("classifiers");
    expect(linkedAnchors("funding")).toEqual([]);
  });
});

describe("freshness", () => {
  test("a guide falls due for review on the same day twelve months after it was reviewed", () => {
    const reviewed = Date.parse("2025-12-06T10:00:00Z");
    expect(new Date(reviewDueAt(reviewed)).toISOString()).toBe("2026-12-06T10:00:00.000Z");
    expect(isDueForReview(reviewed, Date.parse("2026-12-06T09:59:59Z"))).toBe(false);
    expect(isDueForReview(reviewed, Date.parse("2026-12-06T10:00:00Z"))).toBe(true);
  });
});

describe("the project's reference guides", () => {
  test("every file parses, with a unique slug, and covers the best practices the proposal names", () => {
    const guides = referenceGuides();
    expect(new Set(guides.map((g) => g.slug)).size).toBe(guides.length);
    expect(guides.map((g) => g.slug)).toEqual(["best-practices", "security", "funding"]);
    const anchors = renderMarkdownDocument(guides[0]!.body).headings.map((h) => h.id);
    for (const practice of ["supported-versions", "ci", "pre-releases", "django-upgrade", "naming"]) {
      expect(anchors).toContain(practice);
    }
  });
  test("a file without front matter or with a bad slug fails loudly", () => {
    expect(() => parseReferenceGuide("x.md", "# no front matter")).toThrow(/front matter/);
    expect(() =>
      parseReferenceGuide(
        "x.md",
        "---\nslug: Bad Slug\ntitle: t\nsummary: s\nposition: 1\nreviewed: 2026-01-01\n---\ntext",
      ),
    ).toThrow(/slug/);
    expect(() =>
      parseReferenceGuide(
        "x.md",
        "---\nslug: suggestions\ntitle: t\nsummary: s\nposition: 1\nreviewed: 2026-01-01\n---\ntext",
      ),
    ).toThrow(/page of its own/);
  });
});
