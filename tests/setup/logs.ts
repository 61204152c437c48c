// Every log line of the Vitest run goes to one file (LOG_FILE, at LOG_LEVEL debug unless set), and
// once the run is over that file is read: it must hold lines (each test file writes one as it starts,
// tests/setup/worker.ts, so an empty file means logs went elsewhere) and none of them may hold an
// email address, a cookie, a token or a secret (tests/support/log-leaks.ts).
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { findLogLeaks } from "../support/log-leaks.ts";

declare module "vitest" {
  export interface ProvidedContext {
    logFile: string;
  }
}

export default function setup(project: TestProject) {
  const logFile = resolve("test-results", `vitest-${process.pid}.log`);
  mkdirSync(resolve("test-results"), { recursive: true });
  rmSync(logFile, { force: true });
  project.provide("logFile", logFile);
  // Vitest reports an error thrown here but still exits 0: the exit code is set as well.
  return () => {
    try {
      const lines = checkRunLog(logFile);
      process.stdout.write(`Log check: ${lines} lines of this run's logs, no cookie, token or email address.\n`);
      // Kept when it found something; otherwise a clean run leaves nothing behind.
      rmSync(logFile, { force: true });
    } catch (error) {
      process.exitCode = 1;
      throw error;
    }
  };
}

/** The number of lines in the run's log; throws if there are none, or if one holds what must not be logged. */
export function checkRunLog(logFile: string): number {
  const text = existsSync(logFile) ? readFileSync(logFile, "utf8") : "";
  const lines = text.split("\n").filter(Boolean).length;
  if (lines === 0) throw new Error(`The test run's log (${logFile}) is empty: its logs went somewhere unchecked.`);
  const leaks = findLogLeaks(text);
  if (leaks.length) {
    throw new Error(
      `The test run's log (${logFile}) holds what must never be logged, in ${leaks.length} of ${lines} lines:\n` +
        leaks.slice(0, 20).join("\n"),
    );
  }
  return lines;
}
