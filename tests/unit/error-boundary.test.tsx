// The root error boundary as a person sees it: a request we refused on purpose (400, 409, 413,
// 415, 429) shows its message, escaped; 404/403 keep their own pages; anything else stays a plain
// apology. Rendered through React Router's static handler, as the server renders a document.
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, test } from "vitest";
import { ErrorBoundary } from "#app/root.tsx";
import { invariantResponse, notFound, parseId } from "#app/utils/http.server.ts";

async function pageFor(thrown: () => never): Promise<string> {
  const routes = [{ path: "/", loader: thrown, ErrorBoundary, Component: () => null }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  // hydrate={false}: only what the page shows, not the router's data for the browser.
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />,
  );
}

describe("the root error boundary", () => {
  test("a thrown 400 shows its message to the person", async () => {
    const html = await pageFor(() => {
      invariantResponse(false, "The form has too many fields (at most 1000).");
      throw new Error("unreachable");
    });
    expect(html).toContain("We could not accept that");
    expect(html).toContain("The form has too many fields (at most 1000).");
  });

  test("a thrown 409 shows its message to the person", async () => {
    const html = await pageFor(() => {
      invariantResponse(false, "Someone answered this interest a moment ago.", { status: 409 });
      throw new Error("unreachable");
    });
    expect(html).toContain("That has changed in the meantime");
    expect(html).toContain("Someone answered this interest a moment ago.");
  });

  test("a thrown message is text, never markup", async () => {
    const html = await pageFor(() => {
      throw new Response("<img src=x onerror=alert(1)>", { status: 400 });
    });
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });

  test("a message thrown as data({ message }) is shown too", async () => {
    const html = await pageFor(() => {
      throw Response.json({ message: "Unknown action." }, { status: 400 });
    });
    expect(html).toContain("Unknown action.");
  });

  test("404 and 403 keep their own pages, and a 500 stays a plain apology", async () => {
    expect(
      await pageFor(() => {
        throw notFound("secret detail");
      }),
    ).toContain("Page not found");
    const forbidden = await pageFor(() => {
      throw new Response("secret detail", { status: 403 });
    });
    expect(forbidden).toContain("Not allowed");
    expect(forbidden).not.toContain("secret detail");
    const crash = await pageFor(() => {
      throw new Response("stack trace here", { status: 500 });
    });
    expect(crash).toContain("Something went wrong");
    expect(crash).not.toContain("stack trace here");
  });
});

describe("parseId", () => {
  test("only a positive integer in plain digits names a thing; anything else is a 404", () => {
    expect(parseId("42")).toBe(42);
    for (const bad of [
      undefined,
      null,
      "",
      "0",
      "007",
      "-1",
      "1.5",
      "1e3",
      "abc",
      " 1",
      "9".repeat(40),
      "9007199254740993",
    ]) {
      let status = 0;
      try {
        parseId(bad);
      } catch (e) {
        status = e instanceof Response ? e.status : -1;
      }
      expect(status, String(bad)).toBe(404);
    }
  });
});
