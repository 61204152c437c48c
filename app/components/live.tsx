// Live updates without a full reload: poll a small version endpoint with If-None-Match and, when
// its ETag changes, ask Remix to run the page's loaders again. The version comes from the database
// (not from one process's memory), so it works with several instances behind a balancer. Without
// JavaScript nothing polls and the pages are plain, complete HTML.
import { useEffect, useRef } from "react";
import { useRevalidator } from "@remix-run/react";

/**
 * Polls `url` every `intervalMs` while the tab is visible (at once when it becomes visible again)
 * and revalidates when the ETag differs from the last one seen. `knownEtag` is the version the
 * page was rendered with (so a change between the render and the first poll is not missed); it is
 * updated when the page's data is revalidated for another reason. A 401 (signed out meanwhile) or
 * a `null` url stops polling.
 */
export function useLiveRevalidate(url: string | null, intervalMs = 10_000, knownEtag?: string | null) {
  const revalidator = useRevalidator();
  const etag = useRef<string | null>(knownEtag ?? null);
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  const idle = revalidator.state === "idle";
  const isIdle = useRef(idle);
  isIdle.current = idle;

  useEffect(() => {
    if (knownEtag) etag.current = knownEtag;
  }, [knownEtag]);

  useEffect(() => {
    if (!url) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight: AbortController | undefined;

    async function poll() {
      if (stopped || document.visibilityState === "hidden") return;
      inFlight?.abort();
      const controller = new AbortController();
      inFlight = controller;
      try {
        const headers: HeadersInit = etag.current ? { "If-None-Match": etag.current } : {};
        const response = await fetch(url!, { headers, cache: "no-store", signal: controller.signal });
        if (response.status === 401 || response.status === 403) {
          stopped = true;
          return;
        }
        const next = response.headers.get("ETag");
        if (response.status === 200 && next && next !== etag.current) {
          // The first answer only sets the baseline. A change seen while Remix is busy (a
          // navigation, which may not rerun the root's loader) is left for the next poll to see again.
          if (etag.current === null) etag.current = next;
          else if (isIdle.current) {
            etag.current = next;
            revalidate.current();
          }
        }
      } catch {
        // Offline or aborted: try again at the next tick.
      } finally {
        if (inFlight === controller) inFlight = undefined;
      }
      schedule();
    }

    function schedule() {
      clearTimeout(timer);
      if (!stopped && document.visibilityState !== "hidden") timer = setTimeout(() => void poll(), intervalMs);
    }

    function onVisibility() {
      if (document.visibilityState === "hidden") clearTimeout(timer);
      else void poll();
    }

    document.addEventListener("visibilitychange", onVisibility);
    // The first poll waits one interval when the page told us its version, else goes at once.
    if (etag.current) schedule();
    else void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      inFlight?.abort();
      document.removeEventListener("visibilitychange", onVisibility);
    };
  }, [url, intervalMs]);
}
