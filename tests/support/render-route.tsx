// A route module's page as the server renders it for one request: its action (for a POST) and its
// loader run through React Router's static handler, then the page renders to HTML, so a test reads
// what the person would see after a GET or after a form was posted (JavaScript or not).
import type { ComponentType } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { context } from "#tests/support/routes.ts";

type RouteModule = {
  loader?: (args: never) => unknown;
  action?: (args: never) => unknown;
  default: ComponentType;
};

/** The HTML of `module`'s page at `pattern` (e.g. "/calls/:id/manage") for `request`; a redirect is returned as is. */
export async function renderPage(module: RouteModule, pattern: string, request: Request): Promise<string | Response> {
  const routes = [
    {
      id: "page",
      path: pattern,
      loader: module.loader as never,
      action: module.action as never,
      Component: module.default,
    },
  ];
  const handler = createStaticHandler(routes);
  const result = await handler.query(request, { requestContext: context });
  if (result instanceof Response) return result;
  return renderToString(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, result)} context={result} hydrate={false} />,
  );
}

/** The visible text of rendered HTML, tags removed and whitespace collapsed, for "the page says …". */
export function textOf(html: string): string {
  return html
    .replace(/<!-- -->/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
