import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import appCss from "#app/styles/app.css?url";
import { useNonce } from "#app/components/nonce.tsx";
import { DATABASE_BUSY_MESSAGE, DATABASE_BUSY_TITLE } from "#app/utils/database-busy.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { env } from "#app/utils/env.server.ts";
import { config as configureZod } from "zod/v4/core";

// Before its first parse in the browser, zod probes whether eval works with `new Function("")`;
// our CSP forbids eval, so the probe is reported as a CSP violation. Tell zod not to try.
if (typeof document !== "undefined") configureZod({ jitless: true });

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: "Roadies · keeping Django packages alive" },
  {
    name: "description",
    content: "Roadies matches Django package maintainers with co-maintainers, volunteers, roadies and mentors.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  return {
    demo: env().demo,
    user: user ? { login: user.login, name: user.name, avatarUrl: user.avatarUrl, isAdmin: user.isAdmin } : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

const areas = [
  { to: "/calls", label: "Calls" },
  { to: "/packages", label: "Packages" },
  { to: "/calendar", label: "Calendar" },
  { to: "/ecosystem", label: "Ecosystem" },
  { to: "/guides", label: "Guides" },
  { to: "/programs", label: "Programmes" },
  { to: "/roadies", label: "Roadies" },
  { to: "/people", label: "People" },
];

function Header({ user }: { user: RootData["user"] }) {
  // A new page closes the account menu: the <details> is remounted per path.
  const { pathname } = useLocation();
  return (
    <header className="site-header">
      <div className="container header-inner">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Roadies</span>
        </Link>
        <nav aria-label="Main" className="main-nav">
          <ul>
            {areas.map((a) => (
              <li key={a.to}>
                <NavLink to={a.to} prefetch="intent">
                  {a.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          {user ? (
            <details className="account-menu" key={pathname}>
              <summary>
                {user.avatarUrl ? (
                  <img src={user.avatarUrl} alt="" width="28" height="28" className="avatar" />
                ) : (
                  <span className="avatar avatar-initial" aria-hidden="true">
                    {(user.name ?? user.login).slice(0, 1).toUpperCase()}
                  </span>
                )}
                <span className="account-name">{user.name ?? user.login}</span>
              </summary>
              <ul>
                <li>
                  <span className="muted">Signed in as @{user.login}</span>
                </li>
                <li>
                  <Link to="/me/interests">My interests</Link>
                </li>
                <li>
                  <Link to="/requests">Special requests</Link>
                </li>
                <li>
                  <Link to="/settings/notifications">Notifications</Link>
                </li>
                <li>
                  <Link to="/settings/profile">Your profile</Link>
                </li>
                {user.isAdmin ? (
                  <li>
                    <Link to="/admin">Working group</Link>
                  </li>
                ) : null}
                <li>
                  <Link to="/settings/account">Account and data</Link>
                </li>
                <li>
                  <Link to="/settings/sessions">Sessions</Link>
                </li>
                <li>
                  <Form method="post" action="/logout">
                    <button type="submit" className="link-button">
                      Sign out
                    </button>
                  </Form>
                </li>
              </ul>
            </details>
          ) : (
            <Link to="/login" className="button button-small">
              Sign in
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}

function Footer() {
  return (
    <footer className="site-footer">
      <div className="container">
        <p>
          Roadies is run with the Django Software Foundation&rsquo;s package maintainers working group, by volunteers,
          for the people who keep Django packages going.
        </p>
        <p>
          <a href="https://www.djangoproject.com/">Django</a> is a registered trademark of the Django Software
          Foundation.
        </p>
      </div>
    </footer>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        {data?.demo ? (
          <div className="demo-banner" role="note">
            <strong>Demo</strong> · sample data, a stand-in GitHub sign-in and a local{" "}
            <Link to="/dev/outbox">email outbox</Link>. Nothing here is real.
          </div>
        ) : null}
        <Header user={data?.user ?? null} />
        <main id="main" className="container">
          {children}
        </main>
        <Footer />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Statuses whose thrown message is meant for the person, with the page title each gets. */
const refusalTitles: Record<number, string> = {
  400: "We could not accept that",
  409: "That has changed in the meantime",
  413: "That is too large",
  415: "We could not read that",
  429: "Too many requests",
};

/** The title and message for a request we refused, or null for any other error. */
export function refusalOf(error: unknown): { title: string; message: string } | null {
  if (!isRouteErrorResponse(error)) return null;
  const title = refusalTitles[error.status];
  // Remix's own 4xx (`internal`) carry developer text such as "Error: No route matches…".
  if (!title || Reflect.get(error, "internal") === true) return null;
  // A thrown Response carries its text body; `throw data({ message }, …)` an object.
  const data: unknown = error.data;
  const text =
    typeof data === "string"
      ? data
      : data && typeof data === "object" && "message" in data && typeof data.message === "string"
        ? data.message
        : "";
  return { title, message: text.trim() || "Please check what you sent and try again." };
}

export function ErrorBoundary() {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page">
        <h1>Page not found</h1>
        <p>We could not find that page. It may have moved, or the link may be mistyped.</p>
        <p>
          <Link to="/">Go to the home page</Link> or <Link to="/packages">browse packages</Link>.
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <section className="error-page">
        <h1>Not allowed</h1>
        <p>You do not have permission to see this page.</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 503) {
    // The database was locked (app/utils/database-busy.server.ts): nothing was written, so the
    // same request can simply be made again in a few seconds.
    return (
      <section className="error-page">
        <h1>{DATABASE_BUSY_TITLE}</h1>
        <p>{DATABASE_BUSY_MESSAGE}</p>
        <p>
          <Link to={`${location.pathname}${location.search}`}>Try again</Link> or{" "}
          <Link to="/">go to the home page</Link>.
        </p>
      </section>
    );
  }
  const refusal = refusalOf(error);
  if (refusal) {
    // A request we refused on purpose (app/utils/http.server.ts, readFormData): its message says
    // what was wrong, so the person sees it. React escapes it like any other text.
    return (
      <section className="error-page">
        <h1>{refusal.title}</h1>
        <p>{refusal.message}</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </section>
    );
  }
  // Details of other errors stay in the server log: people see a plain apology.
  return (
    <section className="error-page">
      <h1>Something went wrong</h1>
      <p>Sorry, we could not show this page. The problem has been logged; please try again in a moment.</p>
      <p>
        <Link to="/">Go to the home page</Link>
      </p>
    </section>
  );
}
