// patches/@remix-run+router: Remix's route matching keeps each routes array's ranked branches and
// each compiled pattern instead of rebuilding them on every match, and skips the branches whose
// first segment is other plain text. What it must never change: which
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

  test("the first-segment shortcut reaches the same routes as trying every branch", () => {
    // Each expectation is what @remix-run/router 1.23.3 answers without the patch.
    const tree: AgnosticRouteObject[] = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "list", path: "calls", children: [{ id: "call", path: ":id" }] },
          { id: "optional", path: "calls/:id?/x" },
          { id: "ics", path: "calendar.ics" },
          { id: "exact", path: "Exact", caseSensitive: true },
          { id: "layout", children: [{ id: "inbox", path: "inbox" }] },
          { id: "files", path: "files/*" },
          { id: "rest", path: "*" },
        ],
      },
    ];
    const leaf = (path: string) => {
      const last = matchRoutes(tree, path)?.at(-1);
      return last && [last.route.id, last.params];
    };
    expect(leaf("/CALLS/7")).toEqual(["call", { id: "7" }]);
    expect(leaf("/%63alls/7")).toEqual(["call", { id: "7" }]);
    expect(leaf("/calls/7/x")).toEqual(["optional", { id: "7" }]);
    expect(leaf("/callsx")).toEqual(["rest", { "*": "callsx" }]);
    expect(leaf("/Calendar.ICS")).toEqual(["ics", {}]);
    expect(leaf("/calendar.icsx")).toEqual(["rest", { "*": "calendar.icsx" }]);
    expect(leaf("/Exact")).toEqual(["exact", {}]);
    expect(leaf("/exact")).toEqual(["rest", { "*": "exact" }]);
    expect(leaf("/inbox/")).toEqual(["inbox", {}]);
    expect(leaf("/files/a/b")).toEqual(["files", { "*": "a/b" }]);
    expect(leaf("//calls")).toEqual(["rest", { "*": "/calls" }]);
    expect(leaf("/inbox%2Fx")).toEqual(["rest", { "*": "inbox/x" }]);
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
