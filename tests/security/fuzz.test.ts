// Property-based fuzzing of every action's form data (fast-check): malformed, oversized, missing,
// repeated and unicode-edge fields must get a 4xx (or the form back with its errors), never a 5xx or
// a thrown error, and an input the action refuses must change nothing in the database.
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { paramsFor, routeMatrix } from "./route-matrix.ts";
import {
  APP,
  context,
  importRoute,
  outcomeOf,
  routeFiles,
  routePath,
  tableChecksums,
  world,
  type World,
} from "./world.ts";

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

let w: World;
beforeAll(async () => {
  w = await world();
}, 60_000);

/** Field names and intents the route's own source mentions, so the fuzzer reaches past the first check. */
function vocabulary(route: string) {
  const file = readdirSync(resolve(import.meta.dirname, "../../app/routes")).find(
    (f) => f.replace(/\.tsx?$/, "") === route,
  )!;
  const source = readFileSync(resolve(import.meta.dirname, "../../app/routes", file), "utf8");
  const names = new Set(["intent", "id", "title", "message", "body"]);
  for (const m of source.matchAll(/name[=:]\s*["'`]([\w.[\]-]+)["'`]/g)) names.add(m[1]!);
  for (const m of source.matchAll(/fields\.(\w+)/g)) names.add(m[1]!);
  for (const m of source.matchAll(/form(?:Data)?\.get(?:All)?\(\s*["'`]([\w.-]+)["'`]/g)) names.add(m[1]!);
  const intents = [...source.matchAll(/intent\s*===?\s*["'`]([\w-]+)["'`]/g)].map((m) => m[1]!);
  return { names: [...names], intents: [...new Set(intents)] };
}

const edgeValues = [
  "",
  " ",
  "0",
  "-1",
  "1.5",
  "1e309",
  "NaN",
  "Infinity",
  "9007199254740993",
  "2026-02-30",
  "9999-99-99",
  "\u0000",
  "\u202eevil",
  "\ud800",
  "e\u0301\u0301\u0301",
  "😀👩‍👩‍👧",
  "x".repeat(100_000),
  "<script>alert(1)</script>",
  "javascript:alert(1)",
  "../../etc/passwd",
  "' OR 1=1 --",
  "on",
  "true",
  "[]",
  "{}",
  "%00",
];

const value = fc.oneof(
  fc.constantFrom(...edgeValues),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer().map(String),
);

type Body = { label: string; body: BodyInit; headers: Record<string, string> };

function bodies(route: string): fc.Arbitrary<Body> {
  const { names, intents } = vocabulary(route);
  const name = fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 }));
  const intent = intents.length ? fc.constantFrom(...intents) : fc.constant("nothing");
  // Repeated names are allowed: the same field twice is a classic way to confuse a parser.
  const pairs = fc.tuple(fc.option(intent, { nil: undefined }), fc.array(fc.tuple(name, value), { maxLength: 8 }));
  const urlencoded = pairs.map(([i, p]) => {
    const form = new URLSearchParams(i ? [["intent", i], ...p] : p);
    return {
      label: `urlencoded ${form.toString().slice(0, 200)}`,
      body: form.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    };
  });
  const multipart = pairs.map(([i, p]) => {
    const form = new FormData();
    if (i) form.append("intent", i);
    for (const [k, v] of p) form.append(k, v);
    return { label: `multipart ${JSON.stringify(p).slice(0, 200)}`, body: form, headers: {} };
  });
  const malformed = fc.oneof(
    fc.string({ maxLength: 60 }).map((s) => ({
      label: `multipart without boundary: ${s}`,
      body: s,
      headers: { "Content-Type": "multipart/form-data" },
    })),
    fc.string({ maxLength: 60 }).map((s) => ({
      label: `broken multipart: ${s}`,
      body: `--x\r\n${s}`,
      headers: { "Content-Type": "multipart/form-data; boundary=x" },
    })),
    fc.constantFrom("%E0%A4%A", "a=%ZZ&b", "=&&==", "%").map((s) => ({
      label: `bad percent-encoding: ${s}`,
      body: s,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    })),
    fc
      .json()
      .map((s) => ({ label: `json: ${s.slice(0, 100)}`, body: s, headers: { "Content-Type": "application/json" } })),
    fc.constant({ label: "no content type", body: "intent=delete", headers: { "Content-Type": "" } }),
  );
  return fc.oneof(
    { weight: 3, arbitrary: urlencoded },
    { weight: 2, arbitrary: multipart },
    { weight: 2, arbitrary: malformed },
  );
}

/** The least powerful person the matrix lets through this action, so the fuzzer gets past the guard. */
function fuzzRole(route: string) {
  const action = routeMatrix[route]?.action;
  if (!action || action === "none") return "admin" as const;
  const through = (["volunteer", "maintainer", "roadie", "admin"] as const).find((r) => action[r] === "allowed");
  return through ?? ("admin" as const);
}

const actionRoutes = routeFiles().filter((r) => routeMatrix[r]?.action && routeMatrix[r]!.action !== "none");

describe.each(actionRoutes)("%s action", (route) => {
  test(`${RUNS} random form bodies: never a 5xx, and a refused one changes nothing`, async () => {
    const mod = await importRoute(route);
    const params = paramsFor(route);
    const role = fuzzRole(route);
    await fc.assert(
      fc.asyncProperty(bodies(route), async ({ label, body, headers }) => {
        const cookie = await w.cookie(role);
        const before = await tableChecksums();
        const request = new Request(`${APP}${routePath(route, params)}`, {
          method: "POST",
          headers: { ...(cookie ? { Cookie: cookie } : {}), Origin: APP, ...headers },
          body,
        });
        const outcome = await outcomeOf(() => mod.action!({ request, params, context }));
        expect(outcome, `${route} as ${role} with ${label}`).not.toMatch(/^(error|5\d\d)/);
        if (/^4\d\d$/.test(outcome)) {
          const after = await tableChecksums();
          const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
          expect(changed, `${route} as ${role} refused ${label} (${outcome}) but changed these tables`).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: 20261124, endOnFailure: true },
    );
  });
});
