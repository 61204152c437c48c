// [scale] `npm run test:remote`: the integration files whose rules must hold across app instances,
// run with the database behind the libSQL remote protocol (DATABASE_URL=http://…, a Hrana stand-in
// on the real libSQL engine, tests/fakes/hrana.ts), plus the remote-only fault tests in tests/remote/.
import { defineConfig, type ViteUserConfig } from "vitest/config";
import base from "./vite.config.ts";

export const REMOTE_TEST_FILES = [
  "tests/remote/**/*.test.ts",
  // sessions (made on one instance, used and ended on another)
  "tests/integration/session.test.ts",
  // rate limits counted in the database
  "tests/integration/rate-limit.test.ts",
  // leases: one digest run at a time across instances
  "tests/integration/digest-job.test.ts",
  // page-cache generations (tests/remote/) and full-text search (FTS5): calls and the directory
  "tests/integration/calls.test.ts",
  // listings remembered per public-content generation: another instance's write is listed at once
  "tests/integration/calls-listing-memo.test.ts",
  "tests/integration/directory.test.ts",
  "tests/integration/people-directory.test.ts",
  // the email ledger (idempotency keys, suppression)
  "tests/integration/email.test.ts",
  // the sync at scale: paged reads under the size limit
  "tests/integration/ecosystem-sync-scale.test.ts",
  // round trips per page, counted alike for a file and a server; a page's reads batched in one request
  "tests/integration/round-trips.test.ts",
];

export default defineConfig((env) => {
  const config = (typeof base === "function" ? base(env) : base) as ViteUserConfig;
  return {
    ...config,
    test: {
      ...config.test,
      include: REMOTE_TEST_FILES,
      env: { TEST_DATABASE: "remote" },
    },
  };
});
