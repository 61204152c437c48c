// Comparing packages side by side (Django Packages' grid, with the health and compatibility rows
// it lacks): rows are attributes, columns are the chosen packages. The same grid is the page and
// its CSV. The figures are the directory's (directory.server.ts); the rules are health.server.ts's.
import { compareVersions, parseClassifiers } from "#app/models/ecosystem/classifiers.ts";
import { compatLabels } from "#app/models/ecosystem/labels.ts";
import { todayOf } from "#app/models/ecosystem/releases.server.ts";
import { compatFor, practiceChecks } from "#app/models/packages/health.server.ts";
import { directoryRowsByName, type DirectoryViewer } from "#app/models/packages/directory.server.ts";
import { loadHealthInputs } from "#app/models/packages/health-data.server.ts";
import { COMPARE_MAX } from "#app/models/packages/directory.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import type { CsvValue } from "#app/utils/csv.ts";

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;

/** The packages a comparison URL names (`?p=a&p=b`): PEP 503 names, each once, at most COMPARE_MAX. */
export function compareNames(url: URL): { names: string[]; dropped: number } {
  const names = [
    ...new Set(
      url.searchParams
        .getAll("p")
        .map((p) => normalizePackageName(p.slice(0, 200)))
        .filter((p) => NAME.test(p)),
    ),
  ];
  return { names: names.slice(0, COMPARE_MAX), dropped: Math.max(0, names.length - COMPARE_MAX) };
}

export type CompareGrid = {
  packages: { name: string; normalizedName: string }[];
  rows: { id: string; label: string; values: string[] }[];
  /** Names asked for that Roadies does not track. */
  missing: string[];
};

const count = (n: number | null) => (n === null ? "not known" : n.toLocaleString("en-GB"));

export async function comparePackages(
  names: string[],
  viewer: DirectoryViewer | Promise<DirectoryViewer>,
  now = Date.now(),
): Promise<CompareGrid> {
  const { releases, rows: listed } = await directoryRowsByName(names, viewer, now);
  // The whole of each package's health input (reports, licences, links) for the rows the directory lacks.
  const inputs = new Map((await loadHealthInputs(listed.map((l) => l.id))).map((i) => [i.id, i]));
  const rows = listed.flatMap((l) => {
    const input = inputs.get(l.id);
    return input ? [{ ...l, input }] : [];
  });
  const today = todayOf(now);
  const relevant = releases
    .filter((r) => (r.dates.extendedSupportEnd ?? "9999") >= today)
    .sort((a, b) => compareVersions(a.version, b.version));
  const row = (id: string, label: string, value: (l: (typeof rows)[number]) => string) => ({
    id,
    label,
    values: rows.map(value),
  });
  const grid = [
    row("summary", "Summary", (l) => l.row.summary ?? "none given"),
    row("categories", "Categories", (l) => l.row.categories.join(", ") || "none"),
    row("stars", "GitHub stars", (l) => count(l.row.githubStars)),
    row("downloads", "Downloads (last 30 days)", (l) => count(l.row.downloadsLastMonth)),
    row("version", "Latest version", (l) => l.row.latestVersion ?? "not known"),
    row("release", "Last release", (l) => l.row.lastRelease ?? "not known"),
    row("state", "Maintenance state", (l) => l.row.stateLabel),
    row("rule", "Why", (l) => l.row.stateRule),
    row("maintainers", "Verified maintainers on Roadies", (l) => String(l.row.verifiedMaintainers)),
    row("calls", "Open calls for help", (l) => String(l.row.openCalls)),
    row("help", "Needs help", (l) => (l.row.needsHelp ? "yes" : "no")),
    row("django", "Declared Django versions", (l) => l.row.django.join(", ") || "none declared"),
    ...relevant.map((r) =>
      row(`django-${r.version}`, `Django ${r.version}${r.lts ? " LTS" : ""}`, (l) => {
        const status = compatFor(l.input, r.version, releases);
        return compatLabels[status];
      }),
    ),
    row("python", "Python versions", (l) =>
      l.row.python.length
        ? `${l.row.python.join(", ")}${l.row.pythonFrom === "requires_python" ? " (from requires_python)" : ""}`
        : "none declared",
    ),
    row("requires-python", "requires_python", (l) => l.row.requiresPython ?? "not set"),
    row("licence", "Licence", (l) => {
      const m = l.input.meta;
      return m?.license || m?.githubLicense || parseClassifiers(l.input.classifiers).license || "none given";
    }),
    row("issues", "Open issues and pull requests", (l) => count(l.input.meta?.githubOpenIssues ?? null)),
    row("practices", "Good practices", (l) => {
      const checks = practiceChecks(l.input, releases, now);
      return `${checks.filter((c) => c.passed).length} of ${checks.length} passed`;
    }),
    row("repository", "Repository", (l) => (l.row.repository ? `github.com/${l.row.repository}` : "not linked")),
  ];
  const found = new Set(rows.map((l) => l.row.normalizedName));
  return {
    packages: rows.map((l) => ({ name: l.row.name, normalizedName: l.row.normalizedName })),
    rows: grid,
    missing: names.filter((n) => !found.has(n)),
  };
}

/** The grid as CSV records: a header of package names, then one record per attribute. */
export function compareCsvRows(grid: CompareGrid): CsvValue[][] {
  return [["attribute", ...grid.packages.map((p) => p.name)], ...grid.rows.map((r) => [r.label, ...r.values])];
}
