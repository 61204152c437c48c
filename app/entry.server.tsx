import { EventEmitter } from "node:events";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
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
 * Where React writes a page: its pieces (a dozen or so, of up to 2 KB), joined into one body when
 * it ends. React asks only for write(), end(), destroy() and the events it listens to. A page is
 * sent whole (below), so a stream between React and the response would only add each piece's way
 * through a Node stream, a web stream and a write of the response.
 */
class PageBuffer extends EventEmitter implements NodeJS.WritableStream {
  readonly writable = true;
  private readonly chunks: Uint8Array[] = [];
  private ended = false;
  constructor(
    private readonly onEnd: (body: Buffer<ArrayBuffer>) => void,
    private readonly onDestroy: (error: unknown) => void,
  ) {
    super();
  }
  write(chunk: Uint8Array | string): boolean {
    this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
    return true;
  }
  end(): this {
    if (!this.ended) {
      this.ended = true;
      this.onEnd(Buffer.concat(this.chunks));
    }
    return this;
  }
  destroy(error: unknown): void {
    this.onDestroy(error);
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
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    // The status once the shell is rendered: a later error (in a Suspense boundary) marks the page
    // as failed, as when the shell was sent before the rest, rather than turning it into a 500.
    let status = responseStatusCode;
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
        onShellReady() {
          shellRendered = true;
          status = responseStatusCode;
        },
        // The page is sent when all of it is rendered, in one piece with a Content-Length. No loader
        // defers data (a promise in its answer), so the shell is followed within microseconds by the
        // rest: the loader data for the browser, which Remix writes as Suspense boundaries. A
        // deferred promise would hold the page up to streamTimeout, as it did for bots already.
        onAllReady() {
          // A shell that failed was answered by onShellError.
          if (!shellRendered) return;
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          markPrivate(request, responseHeaders);
          const page = new PageBuffer(
            (body) => {
              renderDone();
              responseHeaders.set("Content-Length", String(body.length));
              resolve(new Response(body, { headers: responseHeaders, status }));
            },
            (error) => {
              renderDone();
              reject(error);
            },
          );
          pipe(page);
        },
        onShellError(error: unknown) {
          renderDone();
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (!shellRendered) return;
          // The shell's status stands: the page cache must not keep this half-rendered page.
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
