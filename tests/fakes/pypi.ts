// A local stand-in for PyPI's JSON API (GET /pypi/<name>/json), with PyPI's status codes, ETags,
// 304s on If-None-Match, name normalisation redirects and 404 body, and its Integrity API
// (GET /integrity/<project>/<version>/<filename>/provenance: the PEP 740 attestation bundles of a
// file published through Trusted Publishing, 404 for a file without). Faults (5xx, malformed
// JSON) can be injected for tests. Used by the tests and by demo mode (mounted at /_demo/pypi).
//   tsx tests/fakes/pypi.ts --port 4030
// Node built-ins (and JSON fixtures) only: server.ts bundles this file into the demo build.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import facts from "../fixtures/pypi-facts.json" with { type: "json" };
import demoPackageFile from "../../db/reference/demo-packages.json" with { type: "json" };

/** A Trusted Publisher as PyPI's provenance names it; only GitHub's kind is modelled. */
export type TrustedPublisher = { repository: string; workflow: string; environment?: string | null };

export type PyPIRelease = {
  version: string;
  uploadedOn: string;
  yanked?: boolean;
  /** Published through Trusted Publishing from this GitHub workflow: its file has provenance. */
  publisher?: TrustedPublisher;
};

export type PyPIProject = {
  name: string;
  summary?: string | null;
  requiresPython?: string | null;
  classifiers?: string[];
  license?: string | null;
  projectUrls?: Record<string, string>;
  /** `info.home_page`, the older single URL field. */
  homePage?: string | null;
  /** Oldest first; the last one is `info.version`. */
  releases: PyPIRelease[];
};

export type PyPIFault = { status: number } | { malformed: true };

export type PyPIStandIn = {
  handler(req: IncomingMessage, res: ServerResponse): void;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  setProject(project: PyPIProject): void;
  removeProject(name: string): void;
  /** The next requests for `name` get these faults, one each, before normal answers resume. */
  failNext(name: string, ...faults: PyPIFault[]): void;
  /** Requests received: name and the If-None-Match header sent. */
  requests: { name: string; ifNoneMatch: string | null; status: number }[];
};

export const normalize = (name: string) => name.toLowerCase().replace(/[-_.]+/g, "-");

export function createPyPIStandIn(projects: PyPIProject[] = []): PyPIStandIn {
  const byName = new Map<string, PyPIProject>();
  const faults = new Map<string, PyPIFault[]>();
  const requests: PyPIStandIn["requests"] = [];
  const setProject = (p: PyPIProject) => void byName.set(normalize(p.name), p);
  for (const p of projects) setProject(p);

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const integrity = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance\/?$/.exec(url.pathname);
    if (integrity && (req.method === "GET" || req.method === "HEAD")) {
      return provenanceOf(res, ...(integrity.slice(1).map(decodeURIComponent) as [string, string, string]));
    }
    const match = /^\/pypi\/([^/]+)\/json\/?$/.exec(url.pathname);
    if (!match || (req.method !== "GET" && req.method !== "HEAD")) return send(res, 404, { message: "Not Found" });
    const asked = decodeURIComponent(match[1]!);
    const key = normalize(asked);
    const record = (status: number) =>
      requests.push({ name: key, ifNoneMatch: (req.headers["if-none-match"] as string) ?? null, status });
    const fault = faults.get(key)?.shift();
    if (fault) {
      if ("malformed" in fault) {
        record(200);
        res.writeHead(200, { "content-type": "application/json" });
        return res.end('{"info": {"name": "truncated');
      }
      record(fault.status);
      res.writeHead(fault.status, { "content-type": "text/html" });
      return res.end(`<html><body><h1>${fault.status} Backend fetch failed</h1></body></html>`);
    }
    const project = byName.get(key);
    if (!project) {
      record(404);
      return send(res, 404, { message: "Not Found" });
    }
    // PyPI redirects non-canonical names to the project's own spelling.
    if (asked !== project.name) {
      record(301);
      res.writeHead(301, { location: `../${encodeURIComponent(project.name)}/json` });
      return res.end();
    }
    const body = JSON.stringify(projectJson(project));
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`;
    if (req.headers["if-none-match"] === etag) {
      record(304);
      res.writeHead(304, { etag });
      return res.end();
    }
    record(200);
    res.writeHead(200, {
      "content-type": "application/json",
      etag,
      "cache-control": "max-age=900, public",
      "x-pypi-last-serial": String(body.length),
    });
    res.end(body);
  }

  // PyPI's Integrity API: the provenance object of one file, or 404 when it has none.
  function provenanceOf(res: ServerResponse, name: string, version: string, filename: string) {
    const project = byName.get(normalize(name));
    const release = project?.releases.find((r) => r.version === version);
    if (!project || !release || fileName(project, release) !== filename) {
      return send(res, 404, { message: "Not Found" });
    }
    if (!release.publisher) return send(res, 404, { message: `No provenance available for ${filename}` });
    const { repository, workflow, environment } = release.publisher;
    const digest = createHash("sha256").update(`${filename}:${repository}`).digest("base64");
    res.writeHead(200, { "content-type": "application/vnd.pypi.integrity.v1+json" });
    res.end(
      JSON.stringify({
        version: 1,
        attestation_bundles: [
          {
            publisher: { kind: "GitHub", repository, workflow, environment: environment ?? null, claims: null },
            attestations: [
              {
                version: 1,
                verification_material: { certificate: digest, transparency_entries: [] },
                envelope: { statement: Buffer.from(`{"subject":"${filename}"}`).toString("base64"), signature: digest },
              },
            ],
          },
        ],
      }),
    );
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (error) {
      process.stderr.write(`pypi stand-in: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) send(res, 500, { message: "Internal Server Error" });
    }
  };

  return {
    handler,
    requests,
    setProject,
    removeProject: (name) => void byName.delete(normalize(name)),
    failNext: (name, ...list) => void faults.set(normalize(name), [...(faults.get(normalize(name)) ?? []), ...list]),
    listen(port = 0) {
      const server = createServer(handler);
      return new Promise((done, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          const address = server.address();
          const actual = typeof address === "object" && address ? address.port : port;
          done({
            url: `http://127.0.0.1:${actual}`,
            close: () =>
              new Promise<void>((closed) => {
                server.close(() => closed());
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}

function projectJson(p: PyPIProject) {
  const latest = p.releases.at(-1);
  const releases = Object.fromEntries(
    p.releases.map((r) => [
      r.version,
      [
        {
          filename: fileName(p, r),
          packagetype: "bdist_wheel",
          upload_time: `${r.uploadedOn}T12:00:00`,
          upload_time_iso_8601: `${r.uploadedOn}T12:00:00.000000Z`,
          yanked: r.yanked ?? false,
          yanked_reason: null,
        },
      ],
    ]),
  );
  return {
    info: {
      name: p.name,
      version: latest?.version ?? null,
      summary: p.summary ?? null,
      requires_python: p.requiresPython ?? null,
      classifiers: p.classifiers ?? [],
      license: p.license ?? null,
      license_expression: null,
      project_urls: p.projectUrls ?? null,
      home_page: p.homePage ?? null,
      yanked: false,
    },
    last_serial: p.releases.length,
    releases,
    urls: latest ? releases[latest.version] : [],
    vulnerabilities: [],
  };
}

function fileName(p: PyPIProject, r: PyPIRelease) {
  return `${p.name.replace(/-/g, "_")}-${r.version}-py3-none-any.whl`;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// ---- demo data ---------------------------------------------------------------------------------

/** A number from 0 to n-1 that depends only on `text`: the demo's invented figures are stable. */
export function stableNumber(text: string, n: number): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0) % n;
}

function daysBefore(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

const licenseFromClassifiers = (classifiers: string[]) =>
  classifiers.find((c) => c.startsWith("License :: OSI Approved :: "))?.split(" :: ")[2] ?? null;

/**
 * Projects for the demo packages. Classifiers and requires_python are the real ones from the
 * facts file, and the latest release is dated on the day of that packaging commit. What no fact
 * gives (version numbers, older release dates, dates for packages without facts) is invented
 * deterministically from the name, so the demo shows a believable mix of healthy and dormant.
 */
export function demoPyPIProjects(): PyPIProject[] {
  const known = facts.packages as Record<
    string,
    { repository: string; requiresPython: string | null; packagingCommitDate: string; classifiers: string[] }
  >;
  const seeded = demoPackageFile.packages.map((pkg): PyPIProject => {
    const fact = known[pkg.name];
    const latestOn = fact?.packagingCommitDate ?? daysBefore("2026-11-01", 20 + stableNumber(pkg.name, 1800));
    const count = 3 + stableNumber(`${pkg.name}:n`, 8);
    const gap = 45 + stableNumber(`${pkg.name}:gap`, 200);
    const major = 1 + stableNumber(`${pkg.name}:major`, 5);
    const releases = Array.from({ length: count }, (_, i) => ({
      version: `${major}.${i}.0`,
      uploadedOn: daysBefore(latestOn, (count - 1 - i) * gap),
    }));
    const classifiers = fact?.classifiers ?? pkg.classifiers;
    return {
      name: pkg.name,
      requiresPython: fact?.requiresPython ?? null,
      classifiers,
      license: licenseFromClassifiers(classifiers),
      projectUrls: { Source: `https://github.com/${pkg.repository}` },
      releases,
    };
  });
  return [...seeded, ...fictionalProjects()];
}

/**
 * The three fictional packages a demo visitor may add (their repositories are in db/demo/calls.ts):
 * one whose metadata names its repository, one published from it through Trusted Publishing, and
 * one PyPI does not link to it, so the demo shows each outcome of a claim.
 */
function fictionalProjects(): PyPIProject[] {
  const base = {
    requiresPython: ">=3.10",
    classifiers: ["Framework :: Django", "Framework :: Django :: 5.2"],
    license: "MIT License",
  };
  return [
    {
      ...base,
      name: "django-tidy-forms",
      projectUrls: { Source: "https://github.com/roadies-demo/django-tidy-forms/tree/main/" },
      releases: [{ version: "0.3.0", uploadedOn: "2026-05-02" }],
    },
    {
      ...base,
      name: "django-quiet-signals",
      projectUrls: { Documentation: "https://quiet-signals.example.org/" },
      releases: [
        {
          version: "1.1.0",
          uploadedOn: "2026-06-11",
          publisher: { repository: "roadies-demo/django-quiet-signals", workflow: "release.yml", environment: "pypi" },
        },
      ],
    },
    {
      ...base,
      name: "django-gentle-admin",
      homePage: "https://gentle-admin.example.org/",
      releases: [{ version: "2.0.0", uploadedOn: "2026-03-20" }],
    },
  ];
}

/** GitHub repositories for the demo packages (figures invented, deterministic; pushes near the last release). */
export function demoGitHubRepos() {
  const listed = new Map(demoPackageFile.packages.map((d) => [d.name, d] as const));
  return demoPyPIProjects().flatMap((p) => {
    const pkg = listed.get(p.name);
    if (!pkg) return [];
    const [owner, name] = pkg.repository.split("/") as [string, string];
    const lastRelease = p.releases.at(-1)!.uploadedOn;
    const spdx = p.license === "MIT License" ? "MIT" : p.license === "BSD License" ? "BSD-3-Clause" : null;
    return {
      owner,
      name,
      stars: 50 + stableNumber(`${p.name}:stars`, 9000),
      openIssues: stableNumber(`${p.name}:issues`, 180),
      pushedAt: `${daysBefore(lastRelease, -stableNumber(`${p.name}:push`, 40))}T09:30:00Z`,
      archived: stableNumber(`${p.name}:archived`, 40) === 0,
      defaultBranch: "main",
      license: spdx,
      permissions: {},
    };
  });
}

// ---- CLI ---------------------------------------------------------------------------------------

const thisFile = fileURLToPath(import.meta.url);
if (
  thisFile.endsWith(`${sep}tests${sep}fakes${sep}pypi.ts`) &&
  process.argv[1] &&
  resolve(process.argv[1]) === thisFile
) {
  const portFlag = process.argv.indexOf("--port");
  const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 4030;
  const { url, close } = await createPyPIStandIn(demoPyPIProjects()).listen(port);
  process.stdout.write(`PyPI stand-in listening on ${url} (try ${url}/pypi/django-htmx/json)\n`);
  const stop = () => void close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
