// The anonymous page cache stores only what it saw in full, and serves it as each request needs it:
// its own CSP nonce, a body that decodes to the page, RFC 9110 validators, and a key made of the
// query parameters the page reads. What server.ts stores (complete GET 200s only) is proved against
// the production build in tests/e2e/page-cache.spec.ts.
import fc from "fast-check";
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { CallQuery } from "#app/models/calls/forms.ts";
import { DirectoryQuery } from "#app/models/packages/directory.ts";
import { PeopleQuery } from "#app/models/people/directory.ts";
import { PageCache, notModified } from "#app/utils/page-cache.server.ts";
import { UNCACHED_PATHS, pageCacheKey, queryParamsOf } from "#app/page-cache-keys.ts";
import { routeMatrix } from "#tests/security/route-matrix.ts";
import { routeFiles, routePath } from "#tests/security/world.ts";

const NONCE = "c2VydmVkLXRvLXRoZS1maXJzdA==";
const page = (body: string, nonce = NONCE) => ({
  headers: { "content-type": "text/html; charset=utf-8" },
  body: Buffer.from(body),
  nonce,
  generation: 1,
  storedAt: Date.now(),
});
const html = (nonce: string) =>
  `<!DOCTYPE html><html><head><script nonce="${nonce}">a()</script></head><body><p>Zoë ✓</p>` +
  `<script nonce="${nonce}" type="module">b()</script></body></html>`;

describe("each response carries its own CSP nonce", () => {
  test("a cached page is served with the asking request's nonce, never the one it was rendered with", () => {
    const cache = new PageCache();
    cache.set("/calls", page(html(NONCE)));
    const entry = cache.get("/calls", 1)!;
    for (const nonce of ["Zmlyc3QtdmlzaXRvcg==", "c2Vjb25kLXZpc2l0b3I="]) {
      const plain = cache.body(entry, nonce, false).toString();
      expect(plain).toBe(html(nonce));
      expect(plain).not.toContain(NONCE);
      expect(gunzipSync(cache.body(entry, nonce, true)).toString()).toBe(html(nonce));
    }
  });

  test("the gzip body decodes to the page with the nonce anywhere, any number of times (fast-check)", () => {
    const nonce = fc.base64String({ minLength: 4, maxLength: 24 }).filter((n) => n.length > 0);
    const text = fc.string({ unit: "grapheme", maxLength: 300 });
    fc.assert(
      fc.property(nonce, fc.array(text, { minLength: 1, maxLength: 6 }), nonce, (stored, pieces, asked) => {
        fc.pre(!pieces.some((p) => p.includes(stored)) && !stored.includes(asked));
        const cache = new PageCache();
        cache.set("/p", page(pieces.join(stored), stored));
        const entry = cache.get("/p", 1)!;
        const expected = pieces.join(asked);
        expect(cache.body(entry, asked, false).toString()).toBe(expected);
        expect(gunzipSync(cache.body(entry, asked, true)).toString()).toBe(expected);
        // server.ts announces this length before writing the pieces.
        for (const gzip of [false, true])
          expect(cache.bodyLength(entry, asked, gzip)).toBe(cache.body(entry, asked, gzip).length);
      }),
      { numRuns: 300, seed: 20261213 },
    );
  });

  test("a large page that does not compress still decodes to itself", () => {
    const noise = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7919) % 251));
    const cache = new PageCache();
    cache.set("/big", { ...page(""), body: Buffer.concat([noise, Buffer.from(NONCE), noise]) });
    const served = gunzipSync(cache.body(cache.get("/big", 1)!, "bmV3", true));
    expect(served.equals(Buffer.concat([noise, Buffer.from("bmV3"), noise]))).toBe(true);
  });

  test("the Content-Length announced is the length of the body sent, plain and gzipped, for any nonce", () => {
    const cache = new PageCache();
    cache.set("/calls", page(html(NONCE)));
    cache.set("/plain", page("no script here"));
    for (const key of ["/calls", "/plain"]) {
      const entry = cache.get(key, 1)!;
      for (const nonce of ["", "bmV3", "Zmlyc3QtdmlzaXRvcg==", "ü".repeat(30)]) {
        for (const gzip of [false, true]) {
          expect(cache.bodyLength(entry, nonce, gzip), `${key} ${nonce} ${gzip}`).toBe(
            Buffer.concat(cache.chunks(entry, nonce, gzip)).length,
          );
        }
      }
    }
  });

  test("a stored page's headers are kept as writeHead's flat list of names and values too", () => {
    const cache = new PageCache();
    cache.set("/a", { ...page("a"), headers: { "content-type": "text/html", "cache-control": "public, max-age=60" } });
    expect(cache.get("/a", 1)!.rawHeaders).toEqual([
      "content-type",
      "text/html",
      "cache-control",
      "public, max-age=60",
    ]);
  });

  test("the ETag is of the page without its nonce: two renders with different nonces share it", () => {
    const cache = new PageCache();
    cache.set("/a", page(html("Zmlyc3Q="), "Zmlyc3Q="));
    cache.set("/b", page(html("c2Vjb25k"), "c2Vjb25k"));
    cache.set("/c", page(html("Zmlyc3Q=").replace("Zoë", "Zoe"), "Zmlyc3Q="));
    expect(cache.get("/a", 1)!.etag).toBe(cache.get("/b", 1)!.etag);
    expect(cache.get("/c", 1)!.etag).not.toBe(cache.get("/a", 1)!.etag);
    expect(cache.get("/a", 1)!.etag).toMatch(/^W\/"[^"]+"$/);
  });
});

describe("conditional requests follow RFC 9110", () => {
  const etag = 'W/"abc"';
  test.each([
    ['W/"abc"', true],
    ['"abc"', true],
    ['"x", W/"abc"', true],
    ['"x",W/"abc" , "y"', true],
    ["*", true],
    ['"x", "y"', false],
    ['W/"abcd"', false],
    ["", false],
  ])("If-None-Match: %s → not modified: %s", (ifNoneMatch, expected) => {
    expect(notModified({ "if-none-match": ifNoneMatch }, etag)).toBe(expected);
  });

  test("no validator, no 304", () => {
    expect(notModified({}, etag)).toBe(false);
  });
});

describe("junk query parameters cannot bypass the cache", () => {
  test("a URL without a query (or with an empty one) is keyed by its path alone", () => {
    for (const path of ["/calls", "/calls/2", "/people", "/calls.data"]) {
      expect(pageCacheKey(path, "")).toBe(path);
      expect(pageCacheKey(path, "?")).toBe(path);
    }
  });

  test("parameters a page does not read are left out of its key", () => {
    expect(pageCacheKey("/reports.atom", "?cb=1")).toBe("/reports.atom");
    expect(pageCacheKey("/reports.atom", "?cb=2&utm_source=x")).toBe("/reports.atom");
    expect(pageCacheKey("/calls/2", "?cb=1")).toBe("/calls/2");
    expect(pageCacheKey("/", "?fbclid=abc")).toBe("/");
  });

  test("the parameters a page reads are kept, sorted, re-encoded, repeated ones in order", () => {
    expect(pageCacheKey("/calls", "?sort=newest&cb=9&q=a+b&kind=django-compat")).toBe(
      "/calls?kind=django-compat&q=a+b&sort=newest",
    );
    expect(pageCacheKey("/calls", "?q=a%20b")).toBe(pageCacheKey("/calls", "?q=a+b"));
    expect(pageCacheKey("/people", "?role=b&role=a&x=1")).toBe("/people?role=b&role=a");
    expect(pageCacheKey("/calendar.ics", "?only=django&cb=1")).toBe("/calendar.ics?only=django");
  });

  test("data requests keep Remix's own parameters and their page's", () => {
    expect(pageCacheKey("/calls.data", "?cb=1&_routes=routes%2Fcalls._index&q=x")).toBe(
      "/calls.data?_routes=routes%2Fcalls._index&q=x",
    );
    expect(pageCacheKey("/_root.data", "?_routes=root&cb=2")).toBe("/_root.data?_routes=root");
  });

  test("route discovery requests keep the paths they ask for: one page's manifest is never another's", () => {
    const first = pageCacheKey("/__manifest", "?p=%2Fcompat%2F6.0&version=a1");
    const second = pageCacheKey("/__manifest", "?p=%2Fpackages%2Fdjango-filter&version=a1");
    expect(first).not.toBe(second);
    expect(pageCacheKey("/__manifest", "?p=%2Fcalls&version=a1")).not.toBe(
      pageCacheKey("/__manifest", "?p=%2Fcalls&version=b2"),
    );
  });

  test("random values of a parameter a page reads cannot flush the cache: each path keeps a bounded number", () => {
    const cache = new PageCache({ maxEntries: 100, maxBytes: 1 << 20, ttlMs: 60_000, maxKeysPerPath: 3 });
    expect(cache.set("/calls", page("plain"))).toBe(true);
    for (let i = 0; i < 50; i++) cache.set(`/calls?q=${i}`, page(`search ${i}`));
    expect(cache.get("/calls", 1)).toBeDefined();
    expect(cache.set("/calls?q=new", page("new"))).toBe(false);
    expect(cache.size).toBe(3);
    // Other paths are untouched, and a path frees its slots as entries go.
    expect(cache.set("/people", page("people"))).toBe(true);
    expect(cache.get("/calls", 2)).toBeUndefined(); // a write bumped the generation: retired
    expect(cache.set("/calls?q=new", page("new"))).toBe(true);
  });
});

describe("every query parameter a visitor's page reads is part of its cache key", () => {
  const source = (file: string) => readFileSync(resolve(import.meta.dirname, "../..", file), "utf8");
  // Reads found by the names query parameters go by in this code (`searchParams`, `useSearchParams`'s
  // `params`, a helper's `search`), and whole-query zod schemas; "the scan finds…" keeps this honest.
  const namedReads = (text: string) =>
    [...text.matchAll(/\b(?:searchParams|params|search)\s*\.\s*(?:get|has|getAll)\(\s*"([^"]+)"/g)].map((m) => m[1]!);
  const readsWholesale = (text: string) => /Object\.fromEntries\(.*searchParams/.test(text);
  const zodKeys = (text: string) =>
    [...text.matchAll(/z\.object\(\{([\s\S]*?)\n\}\)/g)].flatMap((m) =>
      [...m[1]!.matchAll(/^ {2}(\w+):/gm)].map((k) => k[1]!),
    );

  const cached = routeFiles()
    .map((route) => {
      const file = readdirSync(resolve(import.meta.dirname, "../../app/routes")).find(
        (f) => f.replace(/\.tsx?$/, "") === route,
      )!;
      const params = Object.fromEntries([...route.matchAll(/\$([A-Za-z0-9]+)/g)].map((m) => [m[1]!, "x"]));
      return { route, path: routePath(route, params), text: source(`app/routes/${file}`) };
    })
    // Never cached: paths server.ts skips, and pages only signed-in people get (their requests skip the cache).
    .filter(({ path }) => !UNCACHED_PATHS.test(path))
    .filter(({ route }) => {
      const loader = routeMatrix[route]?.loader;
      return loader !== "none" && loader?.anonymous !== "login";
    });

  const readsOf = (text: string) => {
    const read = new Set(namedReads(text));
    if (readsWholesale(text)) for (const key of zodKeys(text)) read.add(key);
    if (text.includes("parseCallQuery(")) for (const key of Object.keys(CallQuery.shape)) read.add(key);
    if (text.includes("parseDirectoryQuery(")) for (const key of Object.keys(DirectoryQuery.shape)) read.add(key);
    if (text.includes("parsePeopleQuery(")) for (const key of Object.keys(PeopleQuery.shape)) read.add(key);
    if (text.includes("compareNames(")) read.add("p");
    return read;
  };

  test("the scan finds what pages read", () => {
    const readBy = (path: string) => [...readsOf(cached.find((c) => c.path === path)!.text)].sort();
    expect(readBy("/packages")).toEqual(["category", "django", "help", "order", "page", "q", "sort", "state"]);
    expect(readBy("/packages.csv")).toContain("all");
    expect(readBy("/packages/compare")).toEqual(["p"]);
    expect(readBy("/people")).toEqual(["hours", "level", "page", "role", "skill", "takeover", "tz", "within"]);
    expect(readBy("/calls")).toContain("q");
    expect(readBy("/packages/x")).toEqual(["added", "claimed", "existing", "notice"]);
  });

  test.each(cached.map((c) => [c.path, c] as const))("%s", (_path, { path, text }) => {
    const read = readsOf(text);
    const keyed = queryParamsOf(path);
    expect(
      [...read].filter((name) => !keyed.has(name)),
      `add them to PAGE_QUERY_PARAMS["${path}"]`,
    ).toEqual([]);
    if (readsWholesale(text)) expect(read.size, `${path} reads its query: list its parameters`).toBeGreaterThan(0);
  });

  test("the layout and shared components read no query parameters (they would be in every key)", () => {
    const dir = resolve(import.meta.dirname, "../../app/components");
    const files = ["app/root.tsx", ...readdirSync(dir).map((f) => `app/components/${f}`)];
    for (const file of files) expect(source(file), file).not.toMatch(/searchParams|useSearchParams/);
  });
});
