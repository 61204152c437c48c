// `npm run digest -- [--week YYYY-Www] [--dry-run] [--json FILE] [--limit N] [--only LOGIN]`
// Runs the match digest for one ISO week (default: this week). Safe to run again: people who got
// this week's digest are skipped. Exit codes: 0 done, 1 failed, 2 bad options, 3 another run is going.
import { renameSync, rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase, prepareDatabase } from "#app/utils/db.server.ts";
import { env, EnvError } from "#app/utils/env.server.ts";
import { isoWeekOf } from "#app/models/digest/weeks.ts";
import { DigestInputError, openDryRunJson, runDigest, type DigestSummary } from "#app/jobs/digest.server.ts";

const usage = "usage: npm run digest -- [--week YYYY-Www] [--dry-run] [--json FILE] [--limit N] [--only LOGIN]";

function fail(message: string, code: number): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      week: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      json: { type: "string" },
      limit: { type: "string" },
      only: { type: "string" },
      help: { type: "boolean", default: false },
    },
    strict: true,
  });
}
try {
  args = parse();
} catch (error) {
  fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`, 2);
}
if (args.values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const limit = args.values.limit === undefined ? undefined : Number(args.values.limit);
if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) fail("--limit must be a positive whole number", 2);
if (args.values.json && !args.values["dry-run"]) fail("--json is for dry runs: add --dry-run", 2);

/** A bar on a terminal; elsewhere (logs, CI) one line per 5%. */
function progressPrinter() {
  const tty = process.stderr.isTTY;
  let lastStep = -1;
  return ({ done, total, sent }: { done: number; total: number; sent: number }) => {
    if (total === 0) return;
    const fraction = done / total;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} people (${Math.round(fraction * 100)}%), ${sent} sent`,
      );
      if (done === total) process.stderr.write("\n");
      return;
    }
    const step = Math.floor(fraction * 20);
    if (step > lastStep) {
      lastStep = step;
      process.stderr.write(`digest: ${done}/${total} people done (${step * 5}%), ${sent} sent\n`);
    }
  };
}

function describe(summary: DigestSummary): string {
  const skipped = Object.entries(summary.skipped)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
  return [
    `Digest ${summary.week}${summary.dryRun ? " (dry run: nothing sent)" : ""}`,
    `  recipients: ${summary.recipients}`,
    `  sent: ${summary.sent}${summary.alreadySent ? ` (already sent before: ${summary.alreadySent})` : ""}`,
    `  skipped: ${skipped || "none"}`,
    `  failed: ${summary.failed}${summary.retryLater ? `, to retry on the next run: ${summary.retryLater}` : ""}`,
    `  elapsed: ${(summary.elapsedMs / 1000).toFixed(1)} s`,
    // [experience] where the emails' links open (app/utils/env.server.ts decides it).
    `  links: ${env().appUrl}${env().appUrlFrom === "running demo" ? " (the demo running on this database)" : ` (from ${env().appUrlFrom})`}`,
  ].join("\n");
}

const partialJson = args.values.json ? `${args.values.json}.partial` : undefined;
try {
  await prepareDatabase();
  const dryRun = args.values["dry-run"];
  const now = Date.now();
  const week = args.values.week ?? isoWeekOf(now);
  // Written as recipients are planned, into a temporary file renamed at the end: a failed run
  // leaves no half-written JSON behind.
  const jsonFile = args.values.json;
  let json: ReturnType<typeof openDryRunJson> | undefined;
  const summary = await runDigest({
    week,
    now,
    dryRun,
    limit,
    only: args.values.only,
    onProgress: dryRun ? undefined : progressPrinter(),
    onDryRunRecipient: dryRun
      ? (recipient) => {
          if (jsonFile) (json ??= openDryRunJson(partialJson!, week)).write(recipient);
        }
      : undefined,
  });
  if (summary.status === "busy") fail("Another digest run is in progress; nothing was done.", 3);
  if (jsonFile) {
    (json ??= openDryRunJson(partialJson!, week)).close();
    renameSync(partialJson!, jsonFile);
  }
  process.stdout.write(`${describe(summary)}\n`);
  closeDatabase();
} catch (error) {
  if (partialJson) rmSync(partialJson, { force: true });
  if (error instanceof DigestInputError) fail(`${error.message}\n${usage}`, 2);
  if (error instanceof EnvError) fail(error.problems.map((p) => `config error: ${p}`).join("\n"), 1);
  fail(`digest failed: ${error instanceof Error ? error.message : String(error)}`, 1);
}
