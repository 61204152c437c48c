// patches/react-router-dom and patches/@remix-run+react: a server render builds its route objects
// once per build (RemixServer per manifest and route modules, createStaticRouter per routes array)
// instead of on every request. What it must never change: each render shows its own request's
// route and data, and new route modules (a rebuilt app in development) give new route objects.
import { Outlet, RemixServer, useLoaderData } from "@remix-run/react";
import type { EntryContext } from "@remix-run/node";
import { createStaticHandler, type StaticHandlerContext } from "@remix-run/router";
import { renderToString } from "react-dom/server";
import { createStaticRouter } from "react-router-dom/server";
import { describe, expect, test } from "vitest";

const routeDefinitions = [
  {
    id: "root",
    path: "/",
    loader: ({ request }: { request: Request }) => new URL(request.url).pathname,
    children: [{ id: "call", path: "calls/:id", loader: ({ params }: { params: { id?: string } }) => params.id ?? "" }],
  },
];
const handler = createStaticHandler(routeDefinitions);

async function contextFor(path: string) {
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error("unexpected response");
  return context as StaticHandlerContext;
}

function moduleSet(label: string) {
  function Root() {
    return (
      <main data-label={label}>
        {useLoaderData() as string}
        <Outlet />
      </main>
    );
  }
  function Call() {
    return <p>call {useLoaderData() as string}</p>;
  }
  return { root: { default: Root }, call: { default: Call } };
}

function entryContext(staticHandlerContext: StaticHandlerContext, routeModules: ReturnType<typeof moduleSet>) {
  return {
    manifest,
    routeModules,
    staticHandlerContext,
    serverHandoffString: "{}",
    future,
    isSpaMode: false,
    serializeError: (error: Error) => ({ message: error.message }),
  } as unknown as EntryContext;
}
const future = { v3_singleFetch: false, v3_lazyRouteDiscovery: false, v3_relativeSplatPath: true };
const manifest = {
  version: "test",
  url: "/manifest.js",
  entry: { module: "/entry.js", imports: [] },
  routes: {
    root: { id: "root", path: "/", hasLoader: true, module: "/root.js" },
    call: { id: "call", path: "calls/:id", parentId: "root", hasLoader: true, module: "/call.js" },
  },
};

describe("server render routes", () => {
  test("the static router keeps one set of data routes per routes array, with each request's own matches", async () => {
    const first = createStaticRouter(routeDefinitions, await contextFor("/calls/1"));
    const second = createStaticRouter(routeDefinitions, await contextFor("/calls/2"));
    expect(second.routes).toBe(first.routes);
    expect(first.state.matches.at(-1)?.params).toEqual({ id: "1" });
    expect(second.state.matches.at(-1)?.params).toEqual({ id: "2" });
    expect(second.state.matches.at(-1)?.route).toBe(first.routes[0]?.children?.[0]);
    const other = createStaticRouter([...routeDefinitions], await contextFor("/calls/1"));
    expect(other.routes).not.toBe(first.routes);
  });

  test("each render shows its own request's data, and new route modules are rendered", async () => {
    const modules = moduleSet("first build");
    const render = async (path: string, routeModules = modules) =>
      renderToString(
        <RemixServer context={entryContext(await contextFor(path), routeModules)} url={`http://localhost${path}`} />,
      );
    expect(await render("/calls/1")).toContain("call <!-- -->1");
    expect(await render("/calls/2")).toContain("call <!-- -->2");
    const rebuilt = await render("/calls/3", moduleSet("second build"));
    expect(rebuilt).toContain('data-label="second build"');
    expect(rebuilt).toContain("call <!-- -->3");
  });
});
