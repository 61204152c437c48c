// The one rule for the success notices a page shows after a redirect ("?saved=1", "?sent=3").
import { useActionData } from "@remix-run/react";

/**
 * The page's query (the route reads it), to read its success notices from. A form on the page
 * posts back to the same address, query included, so after a refused save the old "?saved=1" is
 * still there: while the page shows an action's answer (errors, or anything else not followed by a
 * redirect) it has no notice to show, and "Preferences saved" never sits next to the error that
 * refused them. The route reads the query itself, so the page cache's scan sees what it reads.
 */
export function useNotices(query: URLSearchParams): URLSearchParams {
  const answered = useActionData() !== undefined;
  return answered ? new URLSearchParams() : query;
}
