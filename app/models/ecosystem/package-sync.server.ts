// Syncs one package's metadata: PyPI's JSON API, GitHub's repository and pypistats.org's downloads,
// each part on its own (one failing never stops the others), with conditional requests (ETags) for
// PyPI and GitHub. The parts a resumed run or yesterday's downloads already made fresh are skipped.
// The run over many packages (pages, workers, resuming) is app/jobs/sync.server.ts.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { cleanText } from "#app/utils/text.ts";
import { fetchRecentDownloads } from "#app/models/ecosystem/downloads.server.ts";
import {
  FetchProblem,
  fetchWithRetry,
  readJson,
  type FetchSettings,
  type Pacer,
  type SyncService,
} from "#app/models/ecosystem/sync-http.server.ts";

export type PartOutcome = "updated" | "unchanged" | "missing" | "failed" | "skipped" | "fresh";

export type PackageOutcome = {
  name: string;
  result: "updated" | "unchanged" | "failed";
  pypi: PartOutcome;
  github: PartOutcome;
  /** pypistats.org's downloads: "fresh" when fetched within the day, "skipped" when not configured. */
  downloads: PartOutcome;
  /** The re-check of the package's verified maintainers (GitHub permission, PyPI's link). */
  maintainers?: { checked: number; unchecked: number; lapsed: number; renamedTo: string | null };
  error?: string;
};

export type PackageSyncContext = FetchSettings & {
  pacers: Record<SyncService, Pacer>;
  /** Parts synced at or after this instant are not fetched again. */
  freshSince: number;
  /** Downloads fetched at or after this instant are not fetched again; null: not fetched at all. */
  downloadsFreshSince: number | null;
};

type Metadata = typeof schema.packageMetadata.$inferInsert;
type Previous = typeof schema.packageMetadata.$inferSelect | null | undefined;

// PyPI's answer, as far as we read it. Loose where PyPI is loose: an odd field is dropped (null,
// empty), never stored as it came; only a missing `info` object makes the answer unusable.
const optionalText = z.string().nullish().catch(null);
const pypiFile = z
  .object({ upload_time_iso_8601: z.string().optional().catch(undefined), yanked: z.boolean().optional().catch(false) })
  .nullable()
  .catch(null);
const pypiJson = z.object({
  info: z.object({
    version: optionalText,
    summary: optionalText,
    requires_python: optionalText,
    classifiers: z
      .array(z.unknown())
      .catch([])
      .transform((list) => list.filter((c): c is string => typeof c === "string")),
    license: optionalText,
    license_expression: optionalText,
    project_urls: z
      .record(z.string(), z.unknown())
      .nullish()
      .catch(null)
      .transform((urls) =>
        Object.fromEntries(Object.entries(urls ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")),
      ),
  }),
  releases: z.record(z.string(), z.array(pypiFile).catch([])).optional().catch(undefined),
});

/** What we keep from PyPI's answer; throws when it is not the shape PyPI documents. */
export function readPyPIProject(body: unknown) {
  const parsed = pypiJson.safeParse(body);
  if (!parsed.success) throw new FetchProblem("unexpected answer from PyPI (no info)");
  const { info, releases } = parsed.data;
  const releaseOn = new Map<string, string>();
  for (const [version, files] of Object.entries(releases ?? {})) {
    const live = files.filter((f) => f && !f.yanked && f.upload_time_iso_8601);
    if (live.length === 0) continue; // a release with no files or only yanked ones
    releaseOn.set(version, live.map((f) => f!.upload_time_iso_8601!.slice(0, 10)).sort()[0]!);
  }
  const dates = [...releaseOn.values()].sort();
  const latestVersion = info.version ?? null;
  const license = (info.license_expression || info.license || "").trim();
  return {
    latestVersion,
    latestReleaseOn: (latestVersion && releaseOn.get(latestVersion)) || dates.at(-1) || null,
    releaseDates: dates,
    requiresPython: info.requires_python?.trim() || null,
    // A whole licence text pasted in the field is not a licence name.
    license: license && license.length <= 100 ? license : license ? "see the package's licence file" : null,
    projectUrls: info.project_urls,
    classifiers: info.classifiers,
    // The package's own one-line summary: the directory shows it (a pasted paragraph is cut short).
    summary:
      cleanText(info.summary ?? "")
        .replace(/\s+/g, " ")
        .trim()
        .slice(0, 300) || null,
  };
}

type GitHubRepoJson = {
  stargazers_count?: number;
  open_issues_count?: number;
  pushed_at?: string | null;
  archived?: boolean;
  default_branch?: string;
  license?: { spdx_id?: string | null } | null;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function syncPyPI(
  pkg: typeof schema.packages.$inferSelect,
  previous: Previous,
  meta: Metadata,
  c: PackageSyncContext,
): Promise<{ outcome: PartOutcome; classifiers?: string[]; summary?: string | null; error?: string }> {
  const headers: Record<string, string> = { Accept: "application/json", "User-Agent": "Roadies package sync" };
  if (previous?.pypiEtag && !previous.pypiMissing) headers["If-None-Match"] = previous.pypiEtag;
  const response = await fetchWithRetry(
    `${env().pypiUrl}/pypi/${encodeURIComponent(pkg.normalizedName)}/json`,
    headers,
    c.pacers.pypi,
    c,
  );
  if (response.status === 304) {
    meta.pypiSyncedAt = c.now();
    return { outcome: "unchanged" };
  }
  if (response.status === 404) {
    await response.body?.cancel();
    Object.assign(meta, { pypiMissing: true, pypiEtag: null, pypiSyncedAt: c.now() });
    return { outcome: "missing", error: "not found on PyPI" };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchProblem(`PyPI answered HTTP ${response.status}`);
  }
  const project = readPyPIProject(await readJson(response));
  Object.assign(meta, {
    latestVersion: project.latestVersion,
    latestReleaseOn: project.latestReleaseOn,
    releaseDates: project.releaseDates,
    requiresPython: project.requiresPython,
    license: project.license,
    projectUrls: project.projectUrls,
    pypiEtag: response.headers.get("etag"),
    pypiMissing: false,
    pypiSyncedAt: c.now(),
  });
  return { outcome: "updated", classifiers: project.classifiers, summary: project.summary };
}

async function syncGitHub(
  owner: string,
  name: string,
  previous: Previous,
  meta: Metadata,
  c: PackageSyncContext,
): Promise<{ outcome: PartOutcome; error?: string }> {
  const settings = env();
  const headers: Record<string, string> = {
    Accept: "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "User-Agent": "Roadies package sync",
  };
  if (settings.github.syncToken) headers.Authorization = `Bearer ${settings.github.syncToken}`;
  // A 304 to a conditional request does not count against GitHub's hourly allowance.
  if (previous?.githubEtag) headers["If-None-Match"] = previous.githubEtag;
  const response = await fetchWithRetry(
    `${settings.github.apiUrl}/repos/${owner}/${name}`,
    headers,
    c.pacers.github,
    c,
  );
  if (response.status === 304) {
    meta.githubSyncedAt = c.now();
    return { outcome: "unchanged" };
  }
  if (response.status === 404) {
    await response.body?.cancel();
    Object.assign(meta, { githubEtag: null, githubSyncedAt: c.now() });
    return { outcome: "missing", error: "repository not found on GitHub" };
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new FetchProblem(`GitHub answered HTTP ${response.status}`);
  }
  const r = (await readJson(response)) as GitHubRepoJson;
  if (!r || typeof r !== "object" || typeof r.stargazers_count !== "number") {
    throw new FetchProblem("unexpected answer from GitHub");
  }
  Object.assign(meta, {
    githubStars: r.stargazers_count,
    githubOpenIssues: r.open_issues_count ?? null,
    githubPushedAt: r.pushed_at ? Date.parse(r.pushed_at) : null,
    githubArchived: Boolean(r.archived),
    githubDefaultBranch: r.default_branch ?? null,
    githubLicense: r.license?.spdx_id && r.license.spdx_id !== "NOASSERTION" ? r.license.spdx_id : null,
    githubEtag: response.headers.get("etag"),
    githubSyncedAt: c.now(),
  });
  return { outcome: "updated" };
}

async function syncDownloads(
  pkg: typeof schema.packages.$inferSelect,
  previous: Previous,
  meta: Metadata,
  c: PackageSyncContext,
): Promise<{ outcome: PartOutcome }> {
  const answer = await fetchRecentDownloads(env().pypistatsUrl!, pkg.normalizedName, c.pacers.pypistats, c);
  // Unknown to pypistats.org (a package too new, or not on PyPI): no figure rather than an old one.
  const lastMonth = answer.status === "found" ? answer.lastMonth : null;
  Object.assign(meta, { downloadsLastMonth: lastMonth, downloadsSyncedAt: c.now() });
  if (answer.status === "missing") return { outcome: "missing" };
  return { outcome: previous?.downloadsLastMonth === lastMonth ? "unchanged" : "updated" };
}

/** Syncs one package; each part runs whatever happened to the others. Writes one batch. */
export async function syncPackage(
  pkg: typeof schema.packages.$inferSelect,
  previous: Previous,
  c: PackageSyncContext,
): Promise<PackageOutcome> {
  const meta: Metadata = { packageId: pkg.id, updatedAt: c.now() };
  const errors: string[] = [];
  const outcome: PackageOutcome = {
    name: pkg.name,
    result: "unchanged",
    pypi: "skipped",
    github: "skipped",
    downloads: "skipped",
  };
  let classifiers: string[] | undefined;
  let summary: string | null | undefined;

  if ((previous?.pypiSyncedAt ?? 0) >= c.freshSince) outcome.pypi = "fresh";
  else {
    try {
      const part = await syncPyPI(pkg, previous, meta, c);
      outcome.pypi = part.outcome;
      classifiers = part.classifiers;
      summary = part.summary;
      if (part.error) errors.push(part.error);
    } catch (error) {
      outcome.pypi = "failed";
      errors.push(`PyPI: ${message(error)}`);
    }
  }

  const repo = pkg.repository?.match(/^([\w.-]+)\/([\w.-]+)$/);
  if (repo && (previous?.githubSyncedAt ?? 0) >= c.freshSince) outcome.github = "fresh";
  else if (repo) {
    try {
      const part = await syncGitHub(repo[1]!, repo[2]!, previous, meta, c);
      outcome.github = part.outcome;
      if (part.error) errors.push(part.error);
    } catch (error) {
      outcome.github = "failed";
      errors.push(`GitHub: ${message(error)}`);
    }
  }

  if (c.downloadsFreshSince !== null) {
    const freshFrom = Math.min(c.downloadsFreshSince, c.freshSince);
    if ((previous?.downloadsSyncedAt ?? 0) >= freshFrom) outcome.downloads = "fresh";
    else {
      try {
        outcome.downloads = (await syncDownloads(pkg, previous, meta, c)).outcome;
      } catch (error) {
        outcome.downloads = "failed";
        errors.push(`pypistats.org: ${message(error)}`);
      }
    }
  }

  // Fresh parts keep the error they had; parts fetched now replace it.
  const fetchedNow = [outcome.pypi, outcome.github, outcome.downloads].some((o) => o !== "fresh" && o !== "skipped");
  if (fetchedNow || !previous) meta.lastError = errors.length ? errors.join("; ") : null;
  const statements = [
    db()
      .insert(schema.packageMetadata)
      .values(meta)
      .onConflictDoUpdate({ target: schema.packageMetadata.packageId, set: meta }),
  ];
  if (classifiers) {
    statements.push(
      db()
        .update(schema.packages)
        // Without a PyPI summary, the description the package had (GitHub's, from its claim) stays.
        .set({ classifiers, ...(summary ? { description: summary } : {}), updatedAt: c.now() })
        .where(eq(schema.packages.id, pkg.id)) as never,
    );
  }
  await db().batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);

  const parts = [outcome.pypi, outcome.github, outcome.downloads];
  outcome.result = parts.includes("failed") ? "failed" : parts.includes("updated") ? "updated" : "unchanged";
  if (errors.length) outcome.error = errors.join("; ");
  return outcome;
}
