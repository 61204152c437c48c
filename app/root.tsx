import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import appCss from "#app/styles/app.css?url";
import { useNonce } from "#app/components/nonce.tsx";
import { DATABASE_BUSY_MESSAGE, DATABASE_BUSY_TITLE } from "#app/utils/database-busy.ts";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { loadNavigationPowers } from "#app/models/people/navigation.server.ts";
import { inboxEtag, inboxVersion } from "#app/models/inbox/notifications.server.ts";
import { useLiveRevalidate } from "#app/components/live.tsx";
import { navigationFor, type Navigation, type NavLink as NavItem } from "#app/models/people/navigation-labels.ts";
import { HeaderLink, HeaderNavLink } from "#app/components/header-links.tsx";
import { env } from "#app/utils/env.server.ts";
import { config as configureZod } from "zod/v4/core";

// Before its first parse in the browser, zod probes whether eval works with `new Function("")`;
// our CSP forbids eval, so the probe is reported as a CSP violation. Tell zod not to try.
if (typeof document !== "undefined") configureZod({ jitless: true });

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: appCss },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [
  // An error page has the title of what it says ("Page not found · Roadies"), not the site's.
  { title: error ? `${errorPageTitle(error)} · Roadies` : "Roadies · keeping Django packages alive" },
  {
    name: "description",
    content: "Roadies matches Django package maintainers with co-maintainers, volunteers, roadies and mentors.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getCurrentUser(request);
  // The header's two questions about a signed-in person, each one indexed query, side by side.
  const [powers, inbox] = user ? await Promise.all([loadNavigationPowers(user), inboxVersion(user.id)]) : [null, null];
  return {
    demo: env().demo,
    user: user ? { login: user.login, name: user.name, avatarUrl: user.avatarUrl } : null,
    // What the header links to follows from these (navigationFor, in the component): the powers are
    // sent, not the two dozen links they make, which every page would carry in its data.
    powers,
    // The unread count, and the version the live hook compares with /inbox/version.
    inbox: inbox ? { unread: inbox.unread, etag: inboxEtag(inbox) } : null,
  };
}

export type RootData = Awaited<ReturnType<typeof loader>>;

/**
 * Escape closes an open header menu (and gives focus back to its button when focus was inside it);
 * a click elsewhere closes it too. Without JavaScript the menus still open and close: they are
 * <details> disclosures.
 */
function useHeaderMenus() {
  useEffect(() => {
    const openMenus = () => [...document.querySelectorAll<HTMLDetailsElement>("details[data-menu][open]")];
    function onKeyDown(event: KeyboardEvent) {
      if (event.key !== "Escape") return;
      for (const menu of openMenus()) {
        const hadFocus = menu.contains(document.activeElement);
        menu.open = false;
        if (hadFocus) menu.querySelector("summary")?.focus();
      }
    }
    function onClick(event: MouseEvent) {
      for (const menu of openMenus()) if (!menu.contains(event.target as Node)) menu.open = false;
    }
    document.addEventListener("keydown", onKeyDown);
    document.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      document.removeEventListener("click", onClick);
    };
  }, []);
}

function NavList({ links, pathname }: { links: NavItem[]; pathname: string }) {
  return (
    <ul>
      {links.map((l) => (
        <li key={l.to}>
          <HeaderNavLink to={l.to} pathname={pathname} end={l.to === "/admin"}>
            {l.label}
          </HeaderNavLink>
        </li>
      ))}
    </ul>
  );
}

function MenuIcon() {
  return (
    <svg className="menu-icon" viewBox="0 0 20 20" width="20" height="20" aria-hidden="true" focusable="false">
      <path d="M2 4h16M2 10h16M2 16h16" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/**
 * The header. From 700 px up: the areas in a row and the account menu on the right. Below, one
 * "Menu" button (the same <details> as the account menu when signed in) holds the areas, the
 * person's roles and their account links, so the header stays one line high on a phone.
 */
function Header({
  user,
  navigation,
  inbox,
}: {
  user: RootData["user"];
  navigation: Navigation;
  inbox: RootData["inbox"];
}) {
  // A new page closes the menu: the <details> is remounted per path.
  const { pathname } = useLocation();
  useHeaderMenus();
  const areas = (
    <nav aria-label="Main" className="menu-areas">
      <NavList links={navigation.main} pathname={pathname} />
    </nav>
  );
  return (
    <header className="site-header">
      <div className="container header-inner">
        <HeaderLink to="/" className="brand">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>Roadies</span>
        </HeaderLink>
        <nav aria-label="Main" className="main-nav">
          <NavList links={navigation.main} pathname={pathname} />
        </nav>
        <div className="account">
          {user && inbox ? <InboxLink unread={inbox.unread} pathname={pathname} /> : null}
          {user ? (
            <details className="account-menu" data-menu key={pathname}>
              <summary>
                <MenuIcon />
                <span className="menu-label">Menu</span>
                {user.avatarUrl ? (
                  <img src={user.avatarUrl} alt="" width="28" height="28" className="avatar" />
                ) : (
                  <span className="avatar avatar-initial" aria-hidden="true">
                    {(user.name ?? user.login).slice(0, 1).toUpperCase()}
                  </span>
                )}
                <span className="account-name">{user.name ?? user.login}</span>
              </summary>
              <div className="menu-panel">
                {areas}
                <p className="menu-signed-in muted">{`Signed in as @${user.login}`}</p>
                {navigation.roles.length > 0 ? (
                  <nav aria-labelledby="menu-roles-title">
                    <p id="menu-roles-title" className="menu-heading">
                      Your roles
                    </p>
                    <NavList links={navigation.roles} pathname={pathname} />
                  </nav>
                ) : null}
                <nav aria-labelledby="menu-account-title">
                  <p id="menu-account-title" className="menu-heading">
                    Your account
                  </p>
                  <NavList links={navigation.account} pathname={pathname} />
                </nav>
                <Form method="post" action="/logout" className="menu-sign-out">
                  <button type="submit" className="link-button">
                    Sign out
                  </button>
                </Form>
              </div>
            </details>
          ) : (
            <>
              <details className="account-menu site-menu" data-menu key={pathname}>
                <summary>
                  <MenuIcon />
                  <span className="menu-label">Menu</span>
                </summary>
                <div className="menu-panel">{areas}</div>
              </details>
              <HeaderLink to="/login" className="button button-small">
                Sign in
              </HeaderLink>
            </>
          )}
        </div>
      </div>
    </header>
  );
}

/**
 * The header's inbox link: "Inbox" and the unread count, read by a screen reader as one name
 * ("Inbox, 3 unread"). The count updates live (the root's useLiveRevalidate).
 */
function InboxLink({ unread, pathname }: { unread: number; pathname: string }) {
  // One name for the link, whatever the badge's styling does to the text around it.
  const label = unread > 0 ? `Inbox, ${unread} unread` : "Inbox";
  return (
    <HeaderNavLink to="/inbox" pathname={pathname} className="inbox-link" aria-label={label}>
      Inbox
      {unread > 0 ? (
        <span className="inbox-count" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </HeaderNavLink>
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
        <Header
          user={data?.user ?? null}
          navigation={navigationFor(data?.powers ?? null)}
          inbox={data?.inbox ?? null}
        />
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
  const data = useRouteLoaderData<typeof loader>("root");
  // Signed in: the unread count (and every loader of the page) follows the inbox live.
  useLiveRevalidate(data?.inbox ? "/inbox/version" : null, 10_000, data?.inbox?.etag);
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

/** The heading of the error page shown for `error`, which is also its <title>. */
export function errorPageTitle(error: unknown): string {
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) return "Page not found";
    if (error.status === 403) return "Not allowed";
    if (error.status === 503) return DATABASE_BUSY_TITLE;
  }
  return refusalOf(error)?.title ?? "Something went wrong";
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
