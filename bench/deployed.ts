// What the benchmarks share about the deployed server: the Node options it runs with (heap cap and
// young-generation size for a 256 MB machine), read from the Dockerfile so that what is measured
// and what is deployed cannot drift.
import { readFileSync } from "node:fs";

export function deployedNodeOptions(): string {
  const found = /^\s*NODE_OPTIONS="?([^"\\\n]+?)"?\s*\\?$/m.exec(readFileSync("Dockerfile", "utf8"))?.[1];
  if (!found) throw new Error("NODE_OPTIONS not found in the Dockerfile");
  return found;
}
