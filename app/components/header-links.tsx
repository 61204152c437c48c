// The header's links, on every page (about 25 for a signed-in person: the areas twice, for the
// desktop bar and the phone menu, and the account menu). While the server renders them, React
// Router's NavLink resolves its path four times and a Link twice, each time with the route matches
// serialised to JSON and back and the path parsed as a URL: about a tenth of a small page's server
// CPU and a third of its garbage. The header's paths are plain absolute paths, so the server writes
// the <a> that NavLink and Link would write, attribute for attribute. In the browser they are React
// Router's own components, which hydrate that same markup and bring client navigation, prefetch on
// intent and the active link following the page. tests/unit/header-links.test.tsx compares both.
import { Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";

const onServer = typeof document === "undefined";

/** An absolute path with nothing to resolve or encode: no `.` or `..` segment, no query or hash. */
const PLAIN_PATH = /^\/(?:[A-Za-z0-9_~-][A-Za-z0-9_.~-]*(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]*)*)?$/;

/**
 * NavLink's rule for its `active` class and `aria-current="page"`: the page is the link's path or,
 * unless `end`, below it; letter case ignored.
 */
export function isActiveLink(pathname: string, to: string, end: boolean): boolean {
  const location = pathname.toLowerCase();
  const target = to.toLowerCase();
  return location === target || (!end && location.startsWith(target) && location.charAt(target.length) === "/");
}

type HeaderNavLinkProps = {
  to: string;
  /** The page's path (`useLocation().pathname`), read once by the header for all its links. */
  pathname: string;
  end?: boolean;
  className?: string;
  "aria-label"?: string;
  children: ReactNode;
};

/** `<NavLink to prefetch="intent">`, written directly on the server (see above). */
export function HeaderNavLink(props: HeaderNavLinkProps) {
  if (onServer && PLAIN_PATH.test(props.to)) return serverNavLink(props);
  return (
    <NavLink
      to={props.to}
      end={props.end ?? false}
      className={props.className}
      aria-label={props["aria-label"]}
      prefetch="intent"
    >
      {props.children}
    </NavLink>
  );
}

/** The markup NavLink writes on the server for a plain path. Exported for the test. */
export function serverNavLink({
  to,
  pathname,
  end = false,
  className,
  "aria-label": ariaLabel,
  children,
}: HeaderNavLinkProps) {
  const active = isActiveLink(pathname, to, end);
  return (
    <a
      aria-label={ariaLabel}
      data-discover="true"
      aria-current={active ? "page" : undefined}
      className={active ? (className ? `${className} active` : "active") : (className ?? "")}
      href={to}
    >
      {children}
    </a>
  );
}

type HeaderLinkProps = { to: string; className?: string; children: ReactNode };

/** `<Link to>`, written directly on the server (see above). */
export function HeaderLink({ to, className, children }: HeaderLinkProps) {
  if (!onServer || !PLAIN_PATH.test(to)) {
    return (
      <Link to={to} className={className}>
        {children}
      </Link>
    );
  }
  return serverLink({ to, className, children });
}

/** The markup Link writes on the server for a plain path. Exported for the test. */
export function serverLink({ to, className, children }: HeaderLinkProps) {
  return (
    <a className={className} data-discover="true" href={to}>
      {children}
    </a>
  );
}
