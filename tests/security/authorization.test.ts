// The authorization matrix: every route's loader and action × every kind of person, against the
// outcome written in tests/security/route-matrix.ts. A route without an entry fails here.
import { beforeAll, describe, expect, test } from "vitest";
import { paramsFor, routeMatrix } from "./route-matrix.ts";
import { callRoute, importRoute, roles, routeFiles, world, type World } from "./world.ts";

let w: World;
beforeAll(async () => {
  w = await world();
}, 60_000);

// Recording prints each route's actual outcomes (to paste into the matrix) and still checks them:
// a recording run passes only where the matrix already agrees.
const RECORD = process.env.SECURITY_RECORD === "1";

test("every route in app/routes has an entry in the matrix", () => {
  const missing = routeFiles().filter((r) => !(r in routeMatrix));
  expect(missing.map((r) => `add ${r} to tests/security/route-matrix.ts`)).toEqual([]);
  const stale = Object.keys(routeMatrix).filter((r) => !routeFiles().includes(r));
  expect(stale.map((r) => `remove ${r} from tests/security/route-matrix.ts (no such route)`)).toEqual([]);
});

describe.each(routeFiles())("%s", (route) => {
  test("matches the matrix for every kind of person", async () => {
    const entry = routeMatrix[route];
    const mod = await importRoute(route);
    const actual: Record<string, unknown> = {};
    for (const kind of ["loader", "action"] as const) {
      if (!mod[kind]) {
        actual[kind] = "none";
        continue;
      }
      const outcomes: Record<string, string> = {};
      for (const role of roles) {
        outcomes[role] = await callRoute(mod, kind, route, paramsFor(route), await w.cookie(role));
      }
      actual[kind] = outcomes;
    }
    if (RECORD) console.log(`RECORD ${JSON.stringify(route)}: ${JSON.stringify(actual)},`);
    expect(entry, `add ${route} to tests/security/route-matrix.ts`).toBeDefined();
    const expected = { loader: entry!.loader, action: entry!.action };
    // "allowed": the person got past the permission checks (anything but a refusal or a crash).
    for (const kind of ["loader", "action"] as const) {
      const want = expected[kind];
      const got = actual[kind] as Record<string, string> | "none";
      if (want === "none" || got === "none") {
        expect(got, `${route} ${kind}: the matrix says ${JSON.stringify(want)}`).toEqual(want);
        continue;
      }
      for (const role of roles) {
        const refusal = /^(login|403|404|405|error|5\d\d)/.test(got[role]!);
        const ok = want[role] === "allowed" ? !refusal : got[role] === want[role];
        expect(ok, `${route} ${kind} as ${role}: expected ${want[role]}, got ${got[role]}`).toBe(true);
      }
    }
  });
});
