// Where a visitor may be sent back to after signing in: same-site paths only, judged after normalising.
import { isCleanText } from "#app/utils/text.ts";

const REDIRECT_BASE = "http://roadies.invalid";

/**
 * The one rule for every redirect to a target a visitor supplied (`next`, the OAuth state cookie):
 * the target, once normalised as a browser would (dot segments, `%2e`), must be a path on this
 * site, i.e. start with exactly one "/" that no "/" or "\\" follows. Backslashes (browsers read them
 * as "/"), encoded slashes and backslashes, and control characters are refused outright: some proxy
 * or browser on the way may decode or normalise them differently. (Encoded slashes are refused in
 * the path only; a query such as `?q=a%2Fb` cannot change where the browser goes.) Anything refused gives
 * `fallback`. The result is already normalised: passing it through again gives it back unchanged.
 */
export function safeRedirectPath(next: string | null | undefined, fallback = "/"): string {
  if (!next || !next.startsWith("/")) return fallback;
  if (/[\\\u0000-\u001f\u007f]/.test(next) || !isCleanText(next)) return fallback;
  if (/%(2f|5c)/i.test(next.split(/[?#]/, 1)[0]!)) return fallback;
  let normalised: string;
  try {
    const url = new URL(next, REDIRECT_BASE);
    if (url.origin !== REDIRECT_BASE) return fallback;
    normalised = url.pathname + url.search + url.hash;
  } catch {
    return fallback;
  }
  // `/.//evil.example`, `/a/..//x` and `/%2e//x` all normalise to `//…`: judge the result, not the input.
  return /^\/(?![/\\])/.test(normalised) ? normalised : fallback;
}
