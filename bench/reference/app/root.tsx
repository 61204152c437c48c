// The reference app's root: what any Remix app has (Meta, Links, Scripts, ScrollRestoration) and a
// small layout, no loader.
import type { MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Reference · minimal Remix page" },
  { name: "description", content: "The framework's own cost of a page, for npm run bench:ssr." },
];

export default function App() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header>
          <a href="/">Reference</a>
          <nav>
            <ul>
              <li>
                <a href="/">Calls</a>
              </li>
              <li>
                <a href="/">Packages</a>
              </li>
            </ul>
          </nav>
        </header>
        <main>
          <Outlet />
        </main>
        <footer>A minimal Remix page.</footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}
