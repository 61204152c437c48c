// The app's pages through Remix's own request handler, as server.ts serves them: the real root and
// route modules (routes found by Remix's flat-routes convention), app/entry.server.tsx rendering the
// document, each request handled inside the request context server.ts gives it (log.server.ts).
// Only what a browser would fetch is missing: the asset manifest names no real files.
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { resolve } from "node:path";
import { remixConfig } from "../../remix.config.ts";
import { withRequestId } from "#app/utils/request-context.server.ts";
import { context } from "#tests/support/routes.ts";

type Manifest = Record<string, { id: string; parentId?: string; path?: string; index?: boolean; file: string }>;
type Module = Record<string, unknown>;

/**
 * A request handler for the pages whose route files are named (e.g. "calls._index.tsx"), with the
 * root and every layout above them. Each call handles one request, as `server.ts` would.
 */
export async function appRequestHandler(routeFiles: string[]): Promise<(request: Request) => Promise<Response>> {
  const all = flatRoutes(resolve("app"), remixConfig.ignoredRouteFiles) as Manifest;
  const wanted = new Set<string>();
  for (const file of routeFiles) {
    let route = Object.values(all).find((r) => r.file === `routes/${file}`);
    if (!route) throw new Error(`no route file app/routes/${file}`);
    while (route) {
      wanted.add(route.id);
      route = route.parentId ? all[route.parentId] : undefined;
    }
  }
  const routes: ServerBuild["routes"] = {
    root: { id: "root", path: "", module: (await import("#app/root.tsx")) as never },
  };
  const assetRoutes: ServerBuild["assets"]["routes"] = {};
  for (const id of ["root", ...wanted]) {
    const route = id === "root" ? { id, path: "", file: "root.tsx" } : all[id]!;
    const module = (
      id === "root" ? routes.root!.module : await import(/* @vite-ignore */ `../../app/${route.file}`)
    ) as Module;
    routes[id] = { ...route, module: module as never };
    assetRoutes[id] = {
      ...route,
      module: `/assets/${id}.js`,
      hasAction: "action" in module,
      hasLoader: "loader" in module,
      hasClientAction: false,
      hasClientLoader: false,
      hasErrorBoundary: "ErrorBoundary" in module,
    };
  }
  const build: ServerBuild = {
    mode: "production",
    entry: { module: (await import("#app/entry.server.tsx")) as never },
    routes,
    assets: {
      entry: { module: "/assets/entry.client.js", imports: [] },
      routes: assetRoutes,
      url: "/assets/manifest.js",
      version: "test",
    },
    publicPath: "/",
    assetsBuildDirectory: "build/client",
    future: remixConfig.future as ServerBuild["future"],
    isSpaMode: false,
  };
  const handle = createRequestHandler(build, "production");
  let count = 0;
  return (request) => withRequestId(`test-${++count}`, () => handle(request, { ...context }));
}

/** What a response's `Server-Timing` says about the database, parsed as `npm run bench:ssr` parses it. */
export function databaseTiming(response: Response): { ms: number; roundTrips: number } | undefined {
  const match = /db;dur=([\d.]+);desc="(\d+) round trips"/.exec(response.headers.get("server-timing") ?? "");
  return match ? { ms: Number(match[1]), roundTrips: Number(match[2]) } : undefined;
}
