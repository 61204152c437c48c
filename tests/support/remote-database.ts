// [scale] The test files of `npm run test:remote` (TEST_DATABASE=remote) reach their database over
// the libSQL remote protocol: a Hrana stand-in (tests/fakes/hrana.ts) in the test file's own process
// serves it as the namespace `test`, so DATABASE_URL is http://127.0.0.1:PORT/test/ for the whole
// file and a fresh database (tests/support/database.ts) is a new copy of the base behind that URL.
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { startHranaStandIn, type HranaStandIn } from "#tests/fakes/hrana.ts";

export const REMOTE_NAMESPACE = "test";

let standIn: HranaStandIn | undefined;

export const remoteTestRun = () => process.env.TEST_DATABASE === "remote";

/** Starts this file's libSQL stand-in and points DATABASE_URL at it. */
export async function startRemoteDatabase(): Promise<HranaStandIn> {
  standIn = await startHranaStandIn({ directory: resolve(inject("runDirectory"), `remote-${randomUUID()}`) });
  process.env.DATABASE_URL = standIn.urlFor(REMOTE_NAMESPACE);
  return standIn;
}

/** This file's libSQL stand-in: its knobs (freeze, refuse, slow, size limit) are for fault tests. */
export function remoteDatabase(): HranaStandIn {
  if (!standIn) throw new Error("Not a remote test run: set TEST_DATABASE=remote (npm run test:remote)");
  return standIn;
}
