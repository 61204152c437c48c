// The proof that a PyPI project belongs with a GitHub repository, read from PyPI itself: its
// metadata names the repository (project URLs, home page), or its recent releases were published
// from it through Trusted Publishing (PyPI's Integrity API serves the provenance of each file).
// PyPI verified the attestations when it accepted the upload; we read its answer and do not
// re-verify the signatures.
import { z } from "zod";
import { env } from "#app/utils/env.server.ts";
import { log } from "#app/utils/log.server.ts";
import { normalizePackageName } from "#app/models/packages/names.ts";
import { metadataNaming, repositoryKey } from "#app/models/packages/repository-links.ts";
import type { MaintainerProof } from "#db/schema.ts";

export type ProofResult =
  { ok: true; proof: MaintainerProof } | { ok: false; reason: "no_link" | "not_on_pypi" | "pypi_down" };

/** Mutable so tests can use a short wait. */
export const pypiTimeouts = { requestMs: 10_000 };
/** Releases (newest first) whose files are asked for provenance, and files asked at most. */
const RELEASES_CHECKED = 3;
const FILES_CHECKED = 6;

const file = z.object({
  filename: z.string(),
  upload_time_iso_8601: z.string().nullish().catch(null),
  yanked: z.boolean().optional().catch(false),
});
const project = z.object({
  info: z.object({
    name: z.string(),
    home_page: z.string().nullish().catch(null),
    project_urls: z.record(z.string(), z.unknown()).nullish().catch(null),
  }),
  releases: z.record(z.string(), z.array(file).catch([])).optional().catch(undefined),
});
const provenance = z.object({
  attestation_bundles: z.array(
    z.object({
      publisher: z.object({
        kind: z.string(),
        repository: z.string().optional(),
        workflow: z.string().optional(),
      }),
    }),
  ),
});

class PyPIDown extends Error {}

async function getJson(path: string, accept = "application/json"): Promise<unknown | null> {
  let response: Response;
  try {
    response = await fetch(`${env().pypiUrl}${path}`, {
      headers: { Accept: accept, "User-Agent": "Roadies maintainer verification" },
      signal: AbortSignal.timeout(pypiTimeouts.requestMs),
      redirect: "follow",
    });
  } catch (error) {
    throw new PyPIDown(error instanceof Error ? error.message : String(error));
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return null;
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new PyPIDown(`HTTP ${response.status}`);
  }
  try {
    return await response.json();
  } catch {
    throw new PyPIDown("malformed JSON");
  }
}

/**
 * Does PyPI link `pypiName` to one of `repositories` ("owner/name"; the canonical name GitHub
 * answers with and the name the person typed, which GitHub redirected)? Metadata first, then
 * Trusted Publishing provenance of the most recent releases.
 */
export async function findProof(pypiName: string, repositories: string[]): Promise<ProofResult> {
  const wanted = new Set(repositories.map(repositoryKey));
  try {
    const body = await getJson(`/pypi/${encodeURIComponent(normalizePackageName(pypiName))}/json`);
    if (body === null) return { ok: false, reason: "not_on_pypi" };
    const parsed = project.safeParse(body);
    if (!parsed.success) throw new PyPIDown("unexpected answer");
    const { info, releases } = parsed.data;
    const urls: Record<string, string> = {};
    for (const [label, url] of Object.entries(info.project_urls ?? {})) if (typeof url === "string") urls[label] = url;
    if (info.home_page) urls["Home page"] = info.home_page;
    const named = metadataNaming(urls, [...wanted]);
    if (named) return { ok: true, proof: { kind: "metadata", url: named } };

    const recent = Object.entries(releases ?? {})
      .map(([version, files]) => ({ version, files: files.filter((f) => !f.yanked) }))
      .filter((r) => r.files.length > 0)
      .map((r) => ({ ...r, on: r.files.map((f) => f.upload_time_iso_8601 ?? "").sort()[0] ?? "" }))
      .sort((a, b) => b.on.localeCompare(a.on))
      .slice(0, RELEASES_CHECKED);
    const files = recent.flatMap((r) => r.files.map((f) => ({ version: r.version, filename: f.filename })));
    for (const f of files.slice(0, FILES_CHECKED)) {
      const answer = await getJson(
        `/integrity/${encodeURIComponent(info.name)}/${encodeURIComponent(f.version)}/${encodeURIComponent(f.filename)}/provenance`,
        "application/vnd.pypi.integrity.v1+json",
      );
      const bundles = provenance.safeParse(answer);
      if (!bundles.success) continue;
      for (const { publisher } of bundles.data.attestation_bundles) {
        if (publisher.kind === "GitHub" && publisher.repository && wanted.has(repositoryKey(publisher.repository))) {
          return {
            ok: true,
            proof: { kind: "provenance", version: f.version, filename: f.filename, workflow: publisher.workflow ?? "" },
          };
        }
      }
    }
    return { ok: false, reason: "no_link" };
  } catch (error) {
    if (!(error instanceof PyPIDown)) throw error;
    log.warn("PyPI could not be asked for proof", { package: pypiName, problem: error.message });
    return { ok: false, reason: "pypi_down" };
  }
}
