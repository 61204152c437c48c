// Every link the site makes into a guide's section lands on a heading of the guide's current text:
// the best-practice checks on the package page, the compatibility drives, and any literal
// "/guides…#anchor" in the app's source or emails. Editing a guide must never break them
// (suggestions that remove one are refused: tests/integration/guides.test.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";
import { APP } from "#tests/support/routes.ts";

process.env.APP_URL = APP;
const { getGuide } = await import("#app/models/guides/guides.server.ts");
const { guideLinks, parseGuideLink } = await import("#app/models/guides/paths.ts");
const { renderMarkdownDocument } = await import("#app/utils/markdown.server.ts");
const { practiceChecks } = await import("#app/models/packages/health.server.ts");
const { listDjangoReleases } = await import("#app/models/ecosystem/releases.server.ts");

/** The anchors of a guide's current revision. */
async function anchorsOf(slug: string): Promise<Set<string>> {
  const guide = await getGuide(slug);
  expect(guide, `guide ${slug} exists`).not.toBeNull();
  return new Set(renderMarkdownDocument(guide!.body).headings.map((h) => h.id));
}

async function expectLands(href: string) {
  const link = parseGuideLink(href);
  expect(link, `${href} is a guide link`).not.toBeNull();
  if (!link?.anchor) return;
  expect([...(await anchorsOf(link.slug))], `${href}: no heading with id "${link.anchor}"`).toContain(link.anchor);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

describe("links into the guides land on a section of the current text", () => {
  test.each(Object.entries(guideLinks))("%s (%s)", async (_name, href) => {
    await expectLands(href);
  });

  test("every best-practice check on the package page links to an existing section", async () => {
    const releases = await listDjangoReleases();
    const checks = practiceChecks(
      {
        id: 1,
        name: "django-example",
        normalizedName: "django-example",
        repository: null,
        classifiers: [],
        meta: null,
        verifiedMaintainers: 0,
        openCalls: 0,
        reports: new Map(),
        checkin: null,
      },
      releases,
      Date.now(),
    );
    expect(checks.length).toBeGreaterThan(0);
    for (const check of checks) await expectLands(check.guide);
  });

  test("no literal link in the app or the emails points at a missing section", async () => {
    const root = resolve(import.meta.dirname, "../..");
    const files = [...sourceFiles(join(root, "app")), ...sourceFiles(join(root, "emails"))];
    const found: string[] = [];
    for (const file of files) {
      for (const match of readFileSync(file, "utf8").matchAll(
        /["'`](\/guides(?:\/[a-z0-9-]+)?#[A-Za-z0-9_-]+)["'`]/g,
      )) {
        found.push(match[1]!);
      }
    }
    for (const href of found) await expectLands(href);
  });
});
