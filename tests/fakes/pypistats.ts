// A local stand-in for pypistats.org's JSON API, the one endpoint Roadies calls:
//   GET /api/packages/<package>/recent[?period=day|week|month]
//   → {"data": {"last_day": n, "last_week": n, "last_month": n}, "package": "<name>", "type": "recent_downloads"}
// As pypistats.org: names are looked up lower-cased and normalised (PEP 503), anything else is a 404
// (an HTML page, as its Flask app sends); too many requests from one client in a window get 429 with
// Retry-After. Faults (5xx) can be injected for tests. Used by the tests, the sync benchmark and demo
// mode (mounted at /_demo/pypistats in server.ts).
//   tsx tests/fakes/pypistats.ts --port 4040
// Node built-ins (and JSON fixtures) only: server.ts bundles this file into the demo build.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { demoGitHubRepos, demoPyPIProjects, normalize, stableNumber } from "./pypi.ts";

export type RecentDownloads = { lastDay: number; lastWeek: number; lastMonth: number };

export type PyPIStatsOptions = {
  /** Requests one client may make per window before 429; default 180 a minute. */
  rateLimit?: { requests: number; windowMs: number };
  /** The clock of the rate-limit window; a benchmark passes a simulated one. */
  now?: () => number;
};

export type PyPIStatsStandIn = {
  handler(req: IncomingMessage, res: ServerResponse): void;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  setDownloads(name: string, downloads: RecentDownloads): void;
  removePackage(name: string): void;
  /** The next requests for `name` get these statuses (5xx), one each, before normal answers resume. */
  failNext(name: string, ...statuses: number[]): void;
  /** null restores the default; either way a fresh window starts. */
  setRateLimit(limit: { requests: number; windowMs: number } | null): void;
  requests: { name: string; status: number }[];
};

const DEFAULT_RATE_LIMIT = { requests: 180, windowMs: 60_000 };

export function createPyPIStatsStandIn(
  packages: Record<string, RecentDownloads> = {},
  options: PyPIStatsOptions = {},
): PyPIStatsStandIn {
  const downloads = new Map<string, RecentDownloads>();
  for (const [name, d] of Object.entries(packages)) downloads.set(normalize(name), d);
  const faults = new Map<string, number[]>();
  const requests: PyPIStatsStandIn["requests"] = [];
  const windows = new Map<string, { used: number; resetAt: number }>();
  let rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const now = options.now ?? Date.now;

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const match = /^\/api\/packages\/([^/]+)\/recent\/?$/.exec(url.pathname);
    if (!match || (req.method !== "GET" && req.method !== "HEAD")) return notFound(res);
    const asked = safeDecode(match[1]!);

    const client = req.socket.remoteAddress ?? "local";
    const at = now();
    let window = windows.get(client);
    if (!window || window.resetAt <= at) {
      window = { used: 0, resetAt: at + rateLimit.windowMs };
      windows.set(client, window);
    }
    if (window.used >= rateLimit.requests) {
      requests.push({ name: asked, status: 429 });
      res.writeHead(429, {
        "content-type": "text/html; charset=utf-8",
        "retry-after": String(Math.max(1, Math.ceil((window.resetAt - at) / 1000))),
      });
      return res.end("<!doctype html><title>429 Too Many Requests</title><h1>Too Many Requests</h1>");
    }
    window.used++;

    const fault = faults.get(asked)?.shift();
    if (fault) {
      requests.push({ name: asked, status: fault });
      res.writeHead(fault, { "content-type": "text/html; charset=utf-8" });
      return res.end(`<!doctype html><title>${fault}</title><h1>${fault}</h1>`);
    }
    // pypistats.org stores lower-cased, normalised names: "Django_Htmx" is not found.
    const found = asked === normalize(asked) ? downloads.get(asked) : undefined;
    if (!found) {
      requests.push({ name: asked, status: 404 });
      return notFound(res);
    }
    requests.push({ name: asked, status: 200 });
    const period = url.searchParams.get("period");
    const data = {
      last_day: found.lastDay,
      last_week: found.lastWeek,
      last_month: found.lastMonth,
    } as Record<string, number>;
    const key = period ? `last_${period}` : null;
    res.writeHead(200, { "content-type": "application/json", "cache-control": "max-age=3600" });
    res.end(
      JSON.stringify({
        data: key && key in data ? { [key]: data[key] } : data,
        package: asked,
        type: "recent_downloads",
      }),
    );
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    try {
      handle(req, res);
    } catch (error) {
      process.stderr.write(`pypistats stand-in: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) res.writeHead(500).end();
    }
  };

  return {
    handler,
    requests,
    setDownloads: (name, d) => void downloads.set(normalize(name), d),
    removePackage: (name) => void downloads.delete(normalize(name)),
    failNext: (name, ...statuses) =>
      void faults.set(normalize(name), [...(faults.get(normalize(name)) ?? []), ...statuses]),
    setRateLimit(limit) {
      rateLimit = limit ?? DEFAULT_RATE_LIMIT;
      windows.clear();
    },
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

function notFound(res: ServerResponse) {
  res.writeHead(404, { "content-type": "text/html; charset=utf-8" });
  res.end("<!doctype html><title>404 Not Found</title><h1>Not Found</h1>");
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/**
 * Invented, deterministic figures for the demo packages, in proportion to their (invented) GitHub
 * stars as real downloads roughly are: a few hundred to 50 downloads a month per star.
 */
export function demoDownloads(): Record<string, RecentDownloads> {
  const stars = new Map(demoGitHubRepos().map((r) => [`${r.owner}/${r.name}`.toLowerCase(), r.stars] as const));
  const figures: Record<string, RecentDownloads> = {};
  for (const p of demoPyPIProjects()) {
    const repo = (p.projectUrls?.Source ?? "").replace("https://github.com/", "").split("/").slice(0, 2).join("/");
    const starCount = stars.get(repo.toLowerCase()) ?? 15;
    const perStar = 8 + stableNumber(`${p.name}:downloads`, 400);
    const lastMonth = starCount * perStar + stableNumber(`${p.name}:base`, 900);
    const lastWeek = Math.round((lastMonth / 30) * 7 * (0.9 + stableNumber(`${p.name}:week`, 20) / 100));
    figures[normalize(p.name)] = { lastDay: Math.round(lastWeek / 7), lastWeek, lastMonth };
  }
  return figures;
}

// ---- CLI ---------------------------------------------------------------------------------------

const thisFile = fileURLToPath(import.meta.url);
if (
  thisFile.endsWith(`${sep}tests${sep}fakes${sep}pypistats.ts`) &&
  process.argv[1] &&
  resolve(process.argv[1]) === thisFile
) {
  const portFlag = process.argv.indexOf("--port");
  const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 4040;
  const { url, close } = await createPyPIStatsStandIn(demoDownloads()).listen(port);
  process.stdout.write(`pypistats stand-in listening on ${url} (try ${url}/api/packages/django-htmx/recent)\n`);
  const stop = () => void close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
