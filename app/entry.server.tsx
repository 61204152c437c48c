import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { errorFields, log } from "#app/utils/log.server.ts";
import { databaseServerTiming } from "#app/utils/db.server.ts";
import { NonceProvider } from "#app/components/nonce.tsx";
import { readSessionToken } from "#app/models/people/sessions.server.ts";
import {
  DATABASE_BUSY_RETRY_AFTER_SECONDS,
  databaseBusyPage,
  databaseUnavailableReason,
  isDatabaseBusy,
} from "#app/utils/database-busy.server.ts";

// server.ts reaches the app's shared services through the server build (one instance of each).
export * as runtime from "#app/runtime.server.ts";

export const streamTimeout = 5_000;

/**
 * A page's body. React ends it once the page is written, and ends it again from its abort handler
 * when the stream closes; Node answers that second end() by building an ERR_STREAM_ALREADY_FINISHED
 * error, stack trace and all, on every page (about 2.5% of a small page's CPU). Here it does nothing.
 */
class PageBody extends PassThrough {
  override end(...args: unknown[]): this {
    if (this.writableEnded) return this;
    return Reflect.apply(super.end, this, args) as this;
  }
}

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  // The loaders have run: what they cost the database (a streamed part's later queries are not in it).
  addDatabaseTiming(responseHeaders);
  // A write lock held past the busy timeout: a plain 503 page, not the app's 500 (handleError marked it).
  if (loadContext.databaseBusy) {
    responseHeaders.set("Content-Type", "text/html; charset=utf-8");
    responseHeaders.set("Retry-After", String(DATABASE_BUSY_RETRY_AFTER_SECONDS));
    responseHeaders.set("Cache-Control", "no-store");
    return new Response(databaseBusyPage(), { status: 503, headers: responseHeaders });
  }
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : undefined;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // The timer's closure holds the whole render (tree, loader data, HTML): cleared once the page is
    // written, or every finished page would stay in memory 6 s longer (about 30 MB at 150 pages/s).
    const abortTimer = setTimeout(() => abort(), streamTimeout + 1_000);
    const renderDone = () => clearTimeout(abortTimer);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce ?? ""}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PageBody();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          markPrivate(request, responseHeaders);
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          body.once("finish", renderDone).once("close", renderDone);
          pipe(body);
        },
        onShellError(error: unknown) {
          renderDone();
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (!shellRendered) return;
          // The 200 is already sent: the page cache must not keep this half-rendered page.
          loadContext.renderFailed = true;
          log.error("render failed", errorFields(error));
        },
      },
    );
  });
}

export function handleError(error: unknown, { request, context }: { request: Request; context: AppLoadContext }) {
  // Aborted requests and answers such as 404 are not faults of ours.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  // Remix reports every `?_data=` request (an old client's, or a probe's) as this Error: the client's
  // mistake, already in the request log line (a warn when it fails), not a fault of ours with a stack.
  if (
    error instanceof Error &&
    error.message.startsWith("Warning: Single fetch-enabled apps should not be making ?_data")
  )
    return;
  if (isDatabaseBusy(error)) {
    context.databaseBusy = true;
    log.warn("database unavailable", {
      path: new URL(request.url).pathname,
      reason: databaseUnavailableReason(error),
    });
    return;
  }
  log.error("request failed", { path: new URL(request.url).pathname, ...errorFields(error) });
}

/** `Server-Timing: db;dur=…;desc="<n> round trips"`: the request's database round trips (db.server.ts). */
function addDatabaseTiming(headers: Headers) {
  const timing = databaseServerTiming();
  if (timing) headers.append("Server-Timing", timing);
}

/** Pages seen by a signed-in person must never be stored by a browser or proxy cache. */
function markPrivate(request: Request, headers: Headers) {
  if (readSessionToken(request) && !headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-store");
}

export function handleDataRequest(
  response: Response,
  { request, context }: { request: Request; context: AppLoadContext },
) {
  markPrivate(request, response.headers);
  addDatabaseTiming(response.headers);
  if (context.databaseBusy) {
    // Client-side navigations and form posts: same status and Retry-After as the document page.
    response.headers.set("Retry-After", String(DATABASE_BUSY_RETRY_AFTER_SECONDS));
    return new Response(response.body, { status: 503, headers: response.headers });
  }
  return response;
}
