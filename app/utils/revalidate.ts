// When a page loads its data again after one of its forms was sent.
import type { ShouldRevalidateFunction } from "@remix-run/react";

/**
 * Remix keeps the page's data as it was when an action refuses (4xx). That is right for a typo, but
 * wrong for a conflict (409): the object changed since the page was loaded (someone else answered the
 * interest, closed the call, took the transfer), and the old state and buttons would invite the same
 * refused click again. A route whose action answers 409 exports this as its `shouldRevalidate`, so
 * the page shows the current state and buttons next to the action's message saying what changed
 * (as a page without JavaScript does after any POST).
 */
export const revalidateAfterConflict: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;
