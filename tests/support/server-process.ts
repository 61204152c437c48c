// A production server (`node build/server.js`) started by a spec with settings of its own, as an
// operator starts one: the one way specs spawn it, so each reads its output the same way.
import { spawn, type ChildProcess } from "node:child_process";

export type ServerProcess = {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** stdout and stderr together, in the order they arrived. */
  output: () => string;
  /** stdout alone (every info line; with WEB_CONCURRENCY the workers write to the primary's). */
  stdout: () => string;
  /** stderr alone: its lines never interleave with stdout's. */
  stderr: () => string;
};

/** Starts the built server with `env` (and this PATH; nothing else of the spec's environment). */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => ((stdout += chunk), (output += chunk)));
  child.stderr!.on("data", (chunk: Buffer) => ((stderr += chunk), (output += chunk)));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output, stdout: () => stdout, stderr: () => stderr };
}
