// Which requests the anonymous page cache (app/utils/page-cache.server.ts) may answer, and under which
// key. This knows the routes and what each reads, so it sits at the top with the runtime, not in utils.
import { CallQuery } from "#app/models/calls/forms.ts";
import { DirectoryQuery } from "#app/models/packages/directory.ts";

/** Paths never cached: personal, signing in, or token-authenticated. */
export const UNCACHED_PATHS =
  /^\/(dev|_demo|auth|login|logout|settings|me|admin|unsubscribe|internal|webhooks|healthz)(\/|\.|$)/;

/**
 * The query parameters each page that visitors can open reads; every other parameter is left out of
 * the cache key, so `?cb=<random>` is served the cached page instead of costing a render. A page that
 * reads a parameter must list it here, or visitors would get the page rendered without it:
 * tests/unit/page-cache.test.ts reads the routes and fails on a parameter missing from this table.
 */
export const PAGE_QUERY_PARAMS: Record<string, readonly string[]> = {
  "/calls": Object.keys(CallQuery.shape),
  "/api/calls": Object.keys(CallQuery.shape),
  "/calls/:id": ["posted"],
  "/calls/:id/renew": ["token"],
  "/calendar.ics": ["only"],
  "/checkin/:token": ["answer", "done"],
  "/meetings/:id": ["saved"],
  "/ecosystem": ["asked"],
  "/packages": Object.keys(DirectoryQuery.shape),
  // Before "/packages/:name", which would match them too: the first pattern that matches wins.
  "/packages/compare": ["p"],
  "/packages/compare.csv": ["p"],
  "/packages.json": [...Object.keys(DirectoryQuery.shape), "all"],
  "/packages.csv": [...Object.keys(DirectoryQuery.shape), "all"],
  "/packages/:name": ["added", "claimed", "existing", "notice"],
  "/packages/:name/maintainers": ["notice"],
  "/people": ["role", "skill", "level", "tz", "within", "hours", "takeover", "page"],
  "/surveys": ["deleted"],
  "/surveys/:id": ["saved"],
  "/surveys/:id/edit": ["created", "saved", "close", "delete"],
  "/terms/renew": ["token"],
  // [guides] Before "/guides/:slug", which would match it too.
  "/guides/suggestions": ["status"],
  "/guides/suggestions/:id": ["sent", "updated", "commented", "published", "declined", "withdrawn", "withdraw"],
  "/guides/:slug/history": ["from", "to", "reviewed", "owner"],
  "/guides/:slug/suggest": ["edit"],
  "/search": ["q"],
  // Remix's lazy route discovery: `p` names the paths whose routes the browser needs.
  "/__manifest": ["p", "version"],
};
/** Remix's own parameters on data requests (`/calls.data?_routes=…`): they choose what is answered. */
const DATA_PARAMS = ["_routes", "_data", "index"];

const patterns = Object.entries(PAGE_QUERY_PARAMS).map(([pattern, params]) => ({
  regex: new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/:[a-z]+/g, "[^/]+")}$`),
  params: new Set([...DATA_PARAMS, ...params]),
}));
const dataParamsOnly = new Set(DATA_PARAMS);

/** The query parameters the page at `pathname` (or its `.data` twin) reads. */
export function queryParamsOf(pathname: string): ReadonlySet<string> {
  const page = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
  return patterns.find((p) => p.regex.test(page))?.params ?? dataParamsOnly;
}

/**
 * The cache key of a URL: its path and, sorted by name, only the query parameters that page reads
 * (values re-encoded, so `?q=a+b` and `?q=a%20b` are one entry).
 */
export function pageCacheKey(pathname: string, search: string): string {
  // No query (most requests, and every cache hit of a plain page): the path alone, without looking
  // up what the page reads or parsing an empty query.
  if (search === "" || search === "?") return pathname;
  const read = queryParamsOf(pathname);
  const kept = [...new URLSearchParams(search)].filter(([name]) => read.has(name));
  // Array.prototype.sort is stable: repeated parameters keep their order.
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return kept.length ? `${pathname}?${new URLSearchParams(kept)}` : pathname;
}
