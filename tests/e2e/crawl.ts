// The crawl's rules, shared by the specs that visit every page a person can reach from the home
// page (a11y-crawl.spec.ts, navigation.spec.ts): which links are followed, how pages are grouped
// into route patterns, and how many of each are visited.
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Pages visited per person at most: enough for every route pattern, few enough to stay quick. */
export const MAX_PAGES = 150;
/** Pages visited per route pattern, query strings included: the rest only get a link check. */
export const MAX_PER_PATTERN = 2;

/**
 * Never followed: signing in or out, the GitHub stand-in (it signs people in), and the emails' own
 * HTML (a mail preview, framed in the outbox page where axe reads it), and opening a notification
 * (`/inbox/<id>` marks it read on the way to its page: the crawl does not change anyone's inbox).
 */
export const NOT_FOLLOWED = /^\/(logout|auth|_demo)(\/|$)|^\/dev\/outbox\/\d+\/html$|^\/inbox\/\d+$/;

/**
 * Static path segments of the app's routes, from the flat-routes file names in app/routes:
 * `calls.$id_.manage.tsx` gives "calls" and "manage", `calendar[.]ics.ts` gives "calendar.ics".
 */
export function staticSegments(): Set<string> {
  const names = readdirSync(fileURLToPath(new URL("../../app/routes", import.meta.url)));
  return new Set(
    names.flatMap((file) =>
      file
        .replace(/\.tsx?$/, "")
        .replaceAll("[.]", "\0")
        .split(".")
        .map((segment) => segment.replace(/_$/, "").replaceAll("\0", "."))
        .filter((segment) => segment && !segment.startsWith("$") && !segment.startsWith("_")),
    ),
  );
}

/** /packages/django-filter and /packages/django-htmx share a pattern; /calls/new does not. */
export function patternOf(url: URL, statics: Set<string>): string {
  const path = url.pathname
    .split("/")
    .map((s) => (s === "" || statics.has(s) ? s : ":id"))
    .join("/");
  return path;
}
