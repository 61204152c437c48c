// When another writer holds SQLite's write lock longer than the busy timeout (a second process, a
// backup, a migration), or the file is read-only for a moment, a write fails with SQLITE_BUSY /
// SQLITE_LOCKED / SQLITE_READONLY. That is a "try again in a moment", not a bug: people get a 503
// with Retry-After and a plain message (server.ts, entry.server.tsx, the root ErrorBoundary), never
// the driver's text.
// A libSQL server (DATABASE_URL http(s):// or libsql://) that is down, refuses connections, resets
// them or does not answer within DATABASE_TIMEOUT_MS (db.server.ts puts a deadline on every request)
// is the same "try again in a moment": this file is the one place that decides "the database is
// unavailable", for a lock and for the network alike.

import { DATABASE_BUSY_MESSAGE, DATABASE_BUSY_TITLE } from "#app/utils/database-busy.ts";
import { log } from "#app/utils/log.server.ts";

/** Seconds a client should wait before sending the same request again. */
export const DATABASE_BUSY_RETRY_AFTER_SECONDS = 5;

export { DATABASE_BUSY_MESSAGE, DATABASE_BUSY_TITLE };

const BUSY_CODES = new Set(["SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_READONLY"]);
/**
 * A request to the libSQL server failed: refused, reset, unreachable, or no answer within
 * DATABASE_TIMEOUT_MS. Thrown by db.server.ts's fetch, so that only the database's network
 * failures count as "database unavailable".
 */
export class DatabaseUnreachableError extends Error {
  readonly code = "DATABASE_UNREACHABLE";
  constructor(timeoutMs: number, cause: unknown) {
    const timedOut = (cause as { name?: unknown } | null)?.name === "TimeoutError";
    super(timedOut ? `database server gave no answer within ${timeoutMs} ms` : "database server unreachable", {
      cause,
    });
    this.name = "DatabaseUnreachableError";
  }
}

/**
 * True when `error` (or any error in its `cause` chain, e.g. drizzle's and @libsql/client's
 * wrappers) says the database is unavailable for a moment: a lock or read-only error of the file,
 * or a libSQL server that could not be reached or did not answer within the deadline.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    const { code, message, cause } = e as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && BUSY_CODES.has(code.split("_").slice(0, 2).join("_"))) return true;
    if (code === "DATABASE_UNREACHABLE" || e instanceof DatabaseUnreachableError) return true;
    if (typeof message === "string" && /database is locked|attempt to write a readonly database/.test(message)) {
      return true;
    }
    e = cause;
  }
  return false;
}

/**
 * Why the database is unavailable, for the log line: never the driver's message, which can quote
 * the statement and its values.
 */
export function databaseUnavailableReason(error: unknown): string {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 6; depth++) {
    if (e instanceof DatabaseUnreachableError) return e.message;
    e = (e as { cause?: unknown }).cause;
  }
  return "write lock or read-only database";
}

/** The same test under the name that says what it covers now; prefer it in new code. */
export const isDatabaseUnavailable = isDatabaseBusy;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A page with no scripts, for when the app cannot render its own (503 from the server or Remix). */
export function databaseBusyPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(DATABASE_BUSY_TITLE)} · Roadies</title></head>
<body>
<main>
<h1>${escapeHtml(DATABASE_BUSY_TITLE)}</h1>
<p>${escapeHtml(DATABASE_BUSY_MESSAGE)} If you were filling in a form, go back: it still holds what you typed, so you can send it again.</p>
<p><a href="/">Go to the home page</a></p>
</main>
</body>
</html>
`;
}

/** The answer a loader or action throws for a busy database: Remix passes it on as it is. */
export function databaseBusyResponse(): Response {
  return new Response(DATABASE_BUSY_MESSAGE, {
    status: 503,
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Retry-After": String(DATABASE_BUSY_RETRY_AFTER_SECONDS),
      "Cache-Control": "no-store",
    },
  });
}

type Handler = (args: { request: Request; context: { databaseBusy?: boolean } }) => unknown;
type BuildRoutes = { routes: Record<string, { module: { loader?: unknown; action?: unknown } } | undefined> };
const answering = new WeakMap<object, object>();

/**
 * The server build with every loader and action answering a busy database with a 503 Response.
 * One place for all routes: resource routes (webhooks, one-click unsubscribe, /internal/*) return
 * it as it is (webhook senders retry on 5xx), pages show it in the root ErrorBoundary, and
 * entry.server's handleRequest / handleDataRequest see `context.databaseBusy`.
 */
export function withDatabaseBusyAnswers<B extends BuildRoutes>(build: B): B {
  let wrapped = answering.get(build) as B | undefined;
  if (!wrapped) {
    const routes = Object.fromEntries(
      Object.entries(build.routes).map(([id, route]) => {
        if (!route) return [id, route];
        const module = { ...route.module };
        if (typeof module.loader === "function") module.loader = answerBusy(module.loader as Handler);
        if (typeof module.action === "function") module.action = answerBusy(module.action as Handler);
        return [id, { ...route, module }];
      }),
    );
    wrapped = { ...build, routes };
    answering.set(build, wrapped);
  }
  return wrapped;
}

/** One loader or action, answering 503 (with Retry-After) instead of failing on a busy database. */
export function answerBusy<H extends Handler>(handler: H): H {
  return (async (args: Parameters<H>[0]) => {
    try {
      return await handler(args);
    } catch (error) {
      if (!isDatabaseBusy(error)) throw error;
      args.context.databaseBusy = true;
      log.warn("database unavailable", {
        path: new URL(args.request.url).pathname,
        reason: databaseUnavailableReason(error),
      });
      throw databaseBusyResponse();
    }
  }) as H;
}
