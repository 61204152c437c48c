// What belongs to the request being handled, wherever the code runs: its id (log lines carry it), its
// database use (round trips and their time, sent back as Server-Timing) and what was looked up once
// for the whole request (the session). server.ts runs each request inside withRequestId; jobs and
// scripts run outside any request and find none of this.
import { AsyncLocalStorage } from "node:async_hooks";

/** What a request has cost the database so far: round trips (calls to the client) and their time. */
export type DatabaseUse = { roundTrips: number; ms: number };

type RequestContext = { requestId: string; database: DatabaseUse; once: Map<string, unknown> };
const requestContext = new AsyncLocalStorage<RequestContext>();

/** Runs the rest of a request's handling with its id and a fresh count of its database round trips. */
export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requestContext.run({ requestId, database: { roundTrips: 0, ms: 0 }, once: new Map() }, fn);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return requestContext.getStore()?.requestId;
}

/** The database use of the request being handled, if any (db.server.ts adds to it). */
export function currentDatabaseUse(): DatabaseUse | undefined {
  return requestContext.getStore()?.database;
}

/**
 * `look()`'s answer, asked once per request under `key` and shared by every loader of the request
 * (Remix hands each loader its own copy of the Request, so a cache keyed by Request misses). Outside
 * a request it is simply asked.
 */
export function oncePerRequest<T>(key: string, look: () => T): T {
  const once = requestContext.getStore()?.once;
  if (!once) return look();
  if (!once.has(key)) once.set(key, look());
  return once.get(key) as T;
}
