// Plain links that navigate like Remix's <Link>. A page of cards holds dozens of links, and each
// <Link> resolves its path three times (useHref, the click handler, useNavigate) and sets up
// prefetch state and five event handlers on every server render. A plain <a href> renders none of
// that; one click handler on the element around the links gives them, once hydrated, what <Link>
// gives in the browser: navigation without reloading the document. Before hydration, without
// JavaScript, with a modifier key, a middle click or another target, the browser follows the link.
import { useNavigate } from "@remix-run/react";
import { useCallback, type MouseEvent } from "react";

/**
 * Marks a plain <a> as a link into the app, as <Link> renders it: Remix's route discovery loads the
 * route it points to while the page is open (not at the click), and `useLinkClicks` navigates to it.
 */
export const appLink = { "data-discover": "true" } as const;

/** The click handler for an element holding `appLink` links: navigates as <Link> does on a click or Enter. */
export function useLinkClicks() {
  const navigate = useNavigate();
  return useCallback(
    (event: MouseEvent<HTMLElement>) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.altKey || event.ctrlKey || event.shiftKey) return;
      const a = event.target instanceof Element ? event.target.closest("a") : null;
      if (!a?.hasAttribute("data-discover")) return;
      if ((a.target && a.target !== "_self") || a.hasAttribute("download")) return;
      if (a.origin !== window.location.origin) return;
      event.preventDefault();
      const to = a.pathname + a.search + a.hash;
      const here = window.location.pathname + window.location.search + window.location.hash;
      // A link to the page already shown replaces its history entry, as the browser and <Link> do.
      navigate(to, { replace: to === here });
    },
    [navigate],
  );
}
