// patches/@remix-run+router: Remix's route matching keeps each routes array's ranked branches and
// each compiled pattern instead of rebuilding them on every match. What it must never change: which
// route a URL reaches, with which parameters, including routes added after the first match.
import { createMemoryHistory, createRouter, matchPath, matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import { describe, expect, test } from "vitest";

const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "/",
    children: [
      { id: "home", index: true },
      { id: "calls", path: "calls" },
      { id: "call", path: "calls/:id" },
      { id: "package", path: "packages/:name" },
      { id: "rest", path: "*" },
    ],
  },
];

const ids = (path: string, from = routes) => matchRoutes(from, path)?.map((m) => m.route.id);

describe("route matching", () => {
  test("each URL reaches its route with its own parameters, however often the same routes are matched", () => {
    for (let round = 0; round < 3; round++) {
      expect(ids("/")).toEqual(["root", "home"]);
      expect(ids("/calls")).toEqual(["root", "calls"]);
      expect(matchRoutes(routes, "/calls/7")?.at(-1)?.params).toEqual({ id: "7" });
      expect(matchRoutes(routes, "/calls/8")?.at(-1)?.params).toEqual({ id: "8" });
      expect(matchRoutes(routes, "/packages/django-ninja")?.at(-1)?.params).toEqual({ name: "django-ninja" });
      expect(ids("/nowhere/at/all")).toEqual(["root", "rest"]);
    }
    expect(matchPath("/calls/:id", "/calls/9")?.params).toEqual({ id: "9" });
    expect(matchPath({ path: "/Calls", caseSensitive: true }, "/calls")).toBeNull();
    expect(matchPath({ path: "/Calls", caseSensitive: false }, "/calls")).not.toBeNull();
  });

  test("another routes array is matched on its own routes", () => {
    const other: AgnosticRouteObject[] = [{ id: "only", path: "/calls" }];
    expect(ids("/calls")).toEqual(["root", "calls"]);
    expect(ids("/calls", other)).toEqual(["only"]);
    expect(ids("/packages/x", other)).toBeUndefined();
  });

  test("routes discovered after the first match (lazy route discovery) are reached", async () => {
    const router = createRouter({
      routes: [{ id: "root", path: "/", children: [{ id: "home", index: true }] }],
      history: createMemoryHistory({ initialEntries: ["/"] }),
      patchRoutesOnNavigation: ({ path, patch }) => {
        if (path === "/late") patch("root", [{ id: "late", path: "late" }]);
      },
    }).initialize();
    expect(router.state.matches.map((m) => m.route.id)).toEqual(["root", "home"]);
    await router.navigate("/late");
    expect(router.state.matches.map((m) => m.route.id)).toEqual(["root", "late"]);
    router.dispose();
  });
});
