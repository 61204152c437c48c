// app/components/header-links.tsx: on the server the header writes its links itself instead of
// rendering NavLink and Link. The browser hydrates that markup with NavLink and Link, so it must be
// theirs exactly: the same attributes, the same active link (`class="active"`, aria-current) on
// every kind of page path. Both are rendered here in React Router's static router, as on the server.
import { Link, NavLink, useLocation } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, test } from "vitest";
import { HeaderLink, HeaderNavLink } from "#app/components/header-links.tsx";

async function render(path: string, element: ReactNode): Promise<string> {
  const routes = [{ path: "*", Component: () => element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://localhost${path}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(
    <StaticRouterProvider router={createStaticRouter(handler.dataRoutes, context)} context={context} hydrate={false} />,
  );
}

/** As the header passes them: the page's path from useLocation. */
function Ours(props: Omit<ComponentProps<typeof HeaderNavLink>, "pathname">) {
  return <HeaderNavLink {...props} pathname={useLocation().pathname} />;
}

const pages = ["/", "/calls", "/calls/12", "/Calls", "/calls-archive", "/admin", "/admin/roadies", "/inbox", "/x%20y"];
const links: { to: string; end?: boolean; className?: string; label?: string }[] = [
  { to: "/calls" },
  { to: "/admin", end: true },
  { to: "/admin/roadies" },
  { to: "/inbox", className: "inbox-link", label: "Inbox, 3 unread" },
  { to: "/programs/django-girls-2026/review" },
];

describe("the header's links as the server writes them", () => {
  for (const page of pages) {
    test(`are NavLink's markup, active link included, on ${page}`, async () => {
      for (const { to, end, className, label } of links) {
        const ours = await render(
          page,
          <Ours to={to} end={end} className={className} aria-label={label}>
            Text
          </Ours>,
        );
        const theirs = await render(
          page,
          <NavLink to={to} end={end} className={className} aria-label={label} prefetch="intent">
            Text
          </NavLink>,
        );
        expect(ours).toBe(theirs);
      }
    });
  }

  test("are Link's markup", async () => {
    for (const [to, className] of [
      ["/", "brand"],
      ["/login", "button button-small"],
    ] as const) {
      const ours = await render(
        "/calls",
        <HeaderLink to={to} className={className}>
          Roadies
        </HeaderLink>,
      );
      const theirs = await render(
        "/calls",
        <Link to={to} className={className}>
          Roadies
        </Link>,
      );
      expect(ours).toBe(theirs);
    }
  });

  test("leave a path with something to resolve or encode to NavLink", async () => {
    for (const to of ["/calls/../people", "/a b", "/calls?status=open"]) {
      const ours = await render("/people", <Ours to={to}>Text</Ours>);
      const theirs = await render(
        "/people",
        <NavLink to={to} prefetch="intent">
          Text
        </NavLink>,
      );
      expect(ours).toBe(theirs);
    }
  });
});
