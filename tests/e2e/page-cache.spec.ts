// The anonymous page cache of the production build (server.ts, app/utils/page-cache.server.ts):
// it stores only complete GET 200 responses, answers HEAD without storing, gives every response its
// own CSP nonce, follows RFC 9110 for If-None-Match, and keys pages by the query parameters they read.
// Each test uses URLs no other test here has asked for, so "miss" and "hit" are this test's own.
import { expect, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import { openDatabase } from "#tests/support/e2e.ts";

// [directory] The demo's first package sync runs in the background right after start, and its end
// retires every cached page (new figures): wait for it, so "hit" is not raced by that write.
test.beforeAll(async () => {
  const client = await openDatabase();
  await expect
    .poll(
      async () =>
        (await client.execute("SELECT count(*) AS n FROM sync_runs WHERE trigger = 'demo' AND finished_at IS NOT NULL"))
          .rows[0]?.n,
      { timeout: 30_000 },
    )
    .toBe(1);
  client.close();
});

const nonceOf = (response: APIResponse) =>
  /'nonce-([^']+)'/.exec(response.headers()["content-security-policy"] ?? "")?.[1] ?? "";

/** Every script element carries exactly this nonce, and no other nonce appears in the page. */
function expectOwnNonce(html: string, nonce: string) {
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  expect([...html.matchAll(/nonce="([^"]+)"/g)].every((m) => m[1] === nonce)).toBe(true);
}

const get = (request: APIRequestContext, path: string, headers: Record<string, string> = {}) =>
  request.get(path, { headers, maxRedirects: 0 });

test("the page cache stores only complete GET 200 responses: a HEAD first never empties a page", async ({
  request,
}) => {
  const paths = [
    "/",
    "/calls",
    "/calls/2",
    "/calls/2.data",
    "/api/calls",
    "/calls.atom",
    "/people/bruno-demo",
    "/programs",
  ];
  for (const path of paths) {
    const head = await request.head(path, { maxRedirects: 0 });
    expect(head.status(), `HEAD ${path}`).toBe(200);
    expect(head.headers()["x-cache"], `HEAD ${path} before any GET`).toBe("miss");

    const first = await get(request, path);
    expect(first.status(), `GET ${path}`).toBe(200);
    expect(first.headers()["x-cache"], `GET ${path} after a HEAD: the HEAD stored nothing`).toBe("miss");
    const body = await first.body();
    expect(body.length, `GET ${path} has its page`).toBeGreaterThan(100);

    const second = await get(request, path);
    expect(second.headers()["x-cache"], `GET ${path} again`).toBe("hit");
    expect((await second.body()).length, `cached ${path} is the whole page`).toBe(body.length);

    // HEAD of a cached page: the GET's headers, its length, no body.
    const cachedHead = await request.head(path, { maxRedirects: 0 });
    expect(cachedHead.headers()["x-cache"], `HEAD ${path} once cached`).toBe("hit");
    expect(cachedHead.headers()["content-length"]).toBe(second.headers()["content-length"]);
    expect(cachedHead.headers()["content-type"]).toBe(second.headers()["content-type"]);
    expect((await cachedHead.body()).length).toBe(0);
  }
});

test("each response carries its own CSP nonce, also when it comes from the page cache", async ({ request }) => {
  const responses = [
    await get(request, "/packages"),
    await get(request, "/packages"),
    await get(request, "/packages", { "Accept-Encoding": "identity" }),
  ];
  expect(responses.map((r) => r.headers()["x-cache"])).toEqual(["miss", "hit", "hit"]);
  const nonces = responses.map(nonceOf);
  expect(new Set(nonces).size).toBe(3);
  for (const [i, response] of responses.entries()) expectOwnNonce(await response.text(), nonces[i]!);
  expect(responses[2]!.headers()["content-encoding"]).toBeUndefined();
});

test("a hit sends the headers of the render it stored, each once; only its id, nonce and X-Cache differ", async ({
  request,
}) => {
  const miss = await get(request, "/ecosystem?cb=headers");
  const hit = await get(request, "/ecosystem?cb=again");
  expect([miss.headers()["x-cache"], hit.headers()["x-cache"]]).toEqual(["miss", "hit"]);
  // Per response (or per transfer: the render streams, a hit knows its length), not per page.
  const own = new Set(["date", "x-request-id", "x-cache", "etag", "vary", "server-timing", "content-length"]);
  own.add("transfer-encoding").add("content-encoding").add("connection").add("keep-alive");
  const page = (response: APIResponse) =>
    response
      .headersArray()
      .map(({ name, value }) => [name.toLowerCase(), value.replace(nonceOf(response), "{nonce}")] as const)
      .filter(([name]) => !own.has(name))
      .sort(([a], [b]) => a.localeCompare(b));
  expect(page(hit)).toEqual(page(miss));
  expect(page(hit).map(([name]) => name)).toEqual(
    expect.arrayContaining(["content-security-policy", "x-content-type-options"]),
  );
  const names = hit.headersArray().map(({ name }) => name.toLowerCase());
  expect(names.length, names.join(", ")).toBe(new Set(names).size);
  expect(hit.headers()["x-request-id"]).not.toBe(miss.headers()["x-request-id"]);
});

test("visitors who ask for a page while it renders share that render: one miss, the others hits", async ({
  request,
}) => {
  const responses = await Promise.all(Array.from({ length: 8 }, () => get(request, "/packages?q=shared-render")));
  expect(responses.map((r) => r.status())).toEqual(Array(8).fill(200));
  expect(responses.map((r) => r.headers()["x-cache"]).filter((seen) => seen === "miss")).toEqual(["miss"]);
  for (const response of responses) expectOwnNonce(await response.text(), nonceOf(response));
});

test("If-None-Match lists, weak validators and * get 304 from the page cache (RFC 9110)", async ({ request }) => {
  await get(request, "/calendar");
  const cached = await get(request, "/calendar");
  expect(cached.headers()["x-cache"]).toBe("hit");
  const etag = cached.headers()["etag"]!;
  expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
  const opaque = etag.replace(/^W\//, "");
  for (const ifNoneMatch of [etag, `"other", ${etag}`, `W/${opaque}`, opaque, `"a",W/${opaque} , "b"`, "*"]) {
    const response = await get(request, "/calendar", { "If-None-Match": ifNoneMatch });
    expect(response.status(), `If-None-Match: ${ifNoneMatch}`).toBe(304);
    expect(response.headers()["etag"]).toBe(etag);
    // The browser keeps its copy with the CSP it came with: a new nonce would break its scripts.
    expect(response.headers()["content-security-policy"]).toBeUndefined();
  }
  const changed = await get(request, "/calendar", { "If-None-Match": `"other", W/"stale"` });
  expect(changed.status()).toBe(200);
  expectOwnNonce(await changed.text(), nonceOf(changed));
});

test("junk query parameters cannot bypass the page cache: /reports.atom?cb=1 and ?cb=2 are one entry", async ({
  request,
}) => {
  const first = await get(request, "/reports.atom?cb=1");
  expect(first.status()).toBe(200);
  expect(first.headers()["x-cache"]).toBe("miss");
  const second = await get(request, "/reports.atom?cb=2");
  expect(second.headers()["x-cache"]).toBe("hit");
  expect(await second.text()).toBe(await first.text());
  expect((await get(request, `/reports.atom?cb=${Math.random()}&utm_source=x`)).headers()["x-cache"]).toBe("hit");
  // A parameter the page reads is still its own entry.
  const filtered = await get(request, "/people?role=mentor&cb=1");
  expect(filtered.headers()["x-cache"]).toBe("miss");
  expect((await get(request, "/people?cb=2&role=mentor")).headers()["x-cache"]).toBe("hit");
  expect((await get(request, "/people?cb=3")).headers()["x-cache"]).toBe("miss");
});
