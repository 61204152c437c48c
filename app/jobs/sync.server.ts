// Package metadata sync: PyPI's JSON API and GitHub's REST API for each package, with conditional
// requests (ETags), GitHub's rate limits respected, retries with backoff on 5xx and network errors.
// One failing package never stops the others. Then each verified maintainer is re-checked
// (maintainer-checks.server.ts). Called by `npm run sync` and the daily schedule.
import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { db, schema } from "#app/utils/db.server.ts";
import { env } from "#app/utils/env.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { recheckMaintainers, type RecheckOutcome } from "#app/models/packages/maintainer-checks.server.ts";
import { bumpPublicContent } from "#app/utils/page-cache.server.ts";

export type PackageOutcome = {
  name: string;
  result: "updated" | "unchanged" | "failed";
  pypi: "updated" | "unchanged" | "missing" | "failed" | "skipped";
  github: "updated" | "unchanged" | "missing" | "failed" | "skipped";
  /** The re-check of the package's verified maintainers (GitHub permission, PyPI's link). */
  maintainers?: RecheckOutcome;
  error?: string;
};

export type SyncSummary = {
  runId: number;
  total: number;
  updated: number;
  unchanged: number;
  failed: number;
  outcomes: PackageOutcome[];
  durationMs: number;
};

export type SyncOptions = {
  /** Package names to sync; every package when absent. */
  packages?: string[];
  trigger?: "cli" | "schedule" | "demo";
  /** Waits; tests replace it to observe pauses without sleeping. */
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (done: number, total: number, outcome: PackageOutcome) => void;
  attempts?: number;
  baseDelayMs?: number;
  /** A rate-limit pause longer than this fails the GitHub part instead of waiting. */
  maxPauseMs?: number;
  /** How long one request may take before it counts as a failed attempt; default 20 s. */
  requestTimeoutMs?: number;
  now?: () => number;
};

class FetchProblem extends Error {}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

type Settings = Required<
  Pick<SyncOptions, "sleep" | "attempts" | "baseDelayMs" | "maxPauseMs" | "now" | "requestTimeoutMs">
>;

/**
 * GET with retries: network errors and 5xx are retried with exponential backoff; GitHub's
 * "rate limit exceeded" (403/429 with remaining 0, or retry-after) pauses until the reset.
 */
async function fetchWithRetry(url: string, headers: Record<string, string>, s: Settings): Promise<Response> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= s.attempts; attempt++) {
    let response: Response | undefined;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(s.requestTimeoutMs), redirect: "follow" });
    } catch (error) {
      lastProblem = `network error: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (response) {
      const pause = rateLimitPause(response, s.now());
      if (pause !== null) {
        await response.body?.cancel();
        if (pause > s.maxPauseMs) throw new FetchProblem(`rate limited for ${Math.ceil(pause / 1000)} s`);
        log.info("sync paused for rate limit", { url: new URL(url).pathname, pauseMs: pause });
        await s.sleep(pause);
        attempt--; // waiting for the reset is not a failed attempt
        continue;
      }
      if (response.status < 500) return response;
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status}`;
    }
    if (attempt < s.attempts) await s.sleep(s.baseDelayMs * 2 ** (attempt - 1));
  }
  throw new FetchProblem(`${lastProblem} after ${s.attempts} attempts`);
}

/** Milliseconds to wait when the response says the rate limit is exhausted; null otherwise. */
function rateLimitPause(response: Response, now: number): number | null {
  if (response.status !== 403 && response.status !== 429) return null;
  const retryAfter = response.headers.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
  if (response.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (Number.isFinite(reset) && reset > 0) return Math.max(1000, reset * 1000 - now + 1000);
  }
  return null;
}

type Metadata = typeof schema.packageMetadata.$inferInsert;

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new FetchProblem("malformed JSON in the answer");
  }
}

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

/** Syncs one package; the GitHub part runs even when PyPI failed, and the other way round. */
async function syncPackage(
  pkg: typeof schema.packages.$inferSelect,
  previous: typeof schema.packageMetadata.$inferSelect | undefined,
  s: Settings,
): Promise<PackageOutcome> {
  const settings = env();
  const meta: Metadata = { packageId: pkg.id, updatedAt: s.now() };
  let classifiers: string[] | undefined;
  const errors: string[] = [];
  const outcome: PackageOutcome = { name: pkg.name, result: "unchanged", pypi: "skipped", github: "skipped" };

  try {
    const headers: Record<string, string> = { Accept: "application/json", "User-Agent": "Roadies package sync" };
    if (previous?.pypiEtag && !previous.pypiMissing) headers["If-None-Match"] = previous.pypiEtag;
    const response = await fetchWithRetry(
      `${settings.pypiUrl}/pypi/${encodeURIComponent(pkg.normalizedName)}/json`,
      headers,
      s,
    );
    if (response.status === 304) {
      outcome.pypi = "unchanged";
      meta.pypiSyncedAt = s.now();
    } else if (response.status === 404) {
      await response.body?.cancel();
      outcome.pypi = "missing";
      Object.assign(meta, { pypiMissing: true, pypiEtag: null, pypiSyncedAt: s.now() });
      errors.push("not found on PyPI");
    } else if (response.ok) {
      const project = readPyPIProject(await readJson(response));
      classifiers = project.classifiers;
      outcome.pypi = "updated";
      Object.assign(meta, {
        latestVersion: project.latestVersion,
        latestReleaseOn: project.latestReleaseOn,
        releaseDates: project.releaseDates,
        requiresPython: project.requiresPython,
        license: project.license,
        projectUrls: project.projectUrls,
        pypiEtag: response.headers.get("etag"),
        pypiMissing: false,
        pypiSyncedAt: s.now(),
      });
    } else {
      await response.body?.cancel();
      throw new FetchProblem(`PyPI answered HTTP ${response.status}`);
    }
  } catch (error) {
    outcome.pypi = "failed";
    errors.push(`PyPI: ${error instanceof Error ? error.message : String(error)}`);
  }

  const repo = pkg.repository?.match(/^([\w.-]+)\/([\w.-]+)$/);
  if (repo) {
    try {
      const headers: Record<string, string> = {
        Accept: "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "Roadies package sync",
      };
      if (settings.github.syncToken) headers.Authorization = `Bearer ${settings.github.syncToken}`;
      if (previous?.githubEtag) headers["If-None-Match"] = previous.githubEtag;
      const response = await fetchWithRetry(`${settings.github.apiUrl}/repos/${repo[1]}/${repo[2]}`, headers, s);
      if (response.status === 304) {
        outcome.github = "unchanged";
        meta.githubSyncedAt = s.now();
      } else if (response.status === 404) {
        await response.body?.cancel();
        outcome.github = "missing";
        Object.assign(meta, { githubEtag: null, githubSyncedAt: s.now() });
        errors.push("repository not found on GitHub");
      } else if (response.ok) {
        const r = (await readJson(response)) as GitHubRepoJson;
        if (!r || typeof r !== "object" || typeof r.stargazers_count !== "number") {
          throw new FetchProblem("unexpected answer from GitHub");
        }
        outcome.github = "updated";
        Object.assign(meta, {
          githubStars: r.stargazers_count,
          githubOpenIssues: r.open_issues_count ?? null,
          githubPushedAt: r.pushed_at ? Date.parse(r.pushed_at) : null,
          githubArchived: Boolean(r.archived),
          githubDefaultBranch: r.default_branch ?? null,
          githubLicense: r.license?.spdx_id && r.license.spdx_id !== "NOASSERTION" ? r.license.spdx_id : null,
          githubEtag: response.headers.get("etag"),
          githubSyncedAt: s.now(),
        });
      } else {
        await response.body?.cancel();
        throw new FetchProblem(`GitHub answered HTTP ${response.status}`);
      }
    } catch (error) {
      outcome.github = "failed";
      errors.push(`GitHub: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  meta.lastError = errors.length ? errors.join("; ") : null;
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
        .set({ classifiers, updatedAt: s.now() })
        .where(eq(schema.packages.id, pkg.id)) as never,
    );
  }
  await db().batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);

  const failed = outcome.pypi === "failed" || outcome.github === "failed";
  outcome.result = failed
    ? "failed"
    : outcome.pypi === "updated" || outcome.github === "updated"
      ? "updated"
      : "unchanged";
  if (errors.length) outcome.error = errors.join("; ");
  return outcome;
}

/** Syncs the given packages (or all), recording the run's progress; returns the summary. */
export async function runSync(options: SyncOptions = {}): Promise<SyncSummary> {
  const s: Settings = {
    sleep: options.sleep ?? realSleep,
    attempts: options.attempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 1000,
    maxPauseMs: options.maxPauseMs ?? 65 * 60 * 1000,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    now: options.now ?? Date.now,
  };
  const started = s.now();
  const p = schema.packages;
  const wanted = options.packages?.map(normalizePackageName);
  const packages = await db()
    .select()
    .from(p)
    .where(wanted ? inArray(p.normalizedName, wanted) : undefined)
    .orderBy(asc(p.normalizedName))
    .all();
  const metadata = new Map(
    (await db().select().from(schema.packageMetadata).all()).map((m) => [m.packageId, m] as const),
  );
  const [run] = await db()
    .insert(schema.syncRuns)
    .values({ trigger: options.trigger ?? "cli", total: packages.length, startedAt: started })
    .returning({ id: schema.syncRuns.id });
  const counts = { updated: 0, unchanged: 0, failed: 0 };
  const outcomes: PackageOutcome[] = [];
  for (const [i, pkg] of packages.entries()) {
    let outcome: PackageOutcome;
    try {
      outcome = await syncPackage(pkg, metadata.get(pkg.id), s);
    } catch (error) {
      log.error("sync of a package failed", { package: pkg.name, ...errorFields(error) });
      outcome = { name: pkg.name, result: "failed", pypi: "failed", github: "failed", error: "unexpected error" };
    }
    try {
      const recheck = await recheckMaintainers(pkg, s.now());
      if (recheck.checked + recheck.unchecked > 0) outcome.maintainers = recheck;
    } catch (error) {
      log.error("re-check of a package's maintainers failed", { package: pkg.name, ...errorFields(error) });
    }
    outcomes.push(outcome);
    counts[outcome.result]++;
    await db()
      .update(schema.syncRuns)
      .set({ done: i + 1, ...counts })
      .where(eq(schema.syncRuns.id, run!.id));
    options.onProgress?.(i + 1, packages.length, outcome);
  }
  await db().update(schema.syncRuns).set({ finishedAt: s.now() }).where(eq(schema.syncRuns.id, run!.id));
  // Cached anonymous pages show package metadata: let them pick up the new figures.
  if (counts.updated > 0) await bumpPublicContent();
  const summary = { runId: run!.id, total: packages.length, ...counts, outcomes, durationMs: s.now() - started };
  log.info("package sync finished", { runId: run!.id, total: packages.length, ...counts });
  return summary;
}
