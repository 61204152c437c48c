// `npm run digest -- [--week YYYY-Www] [--dry-run] [--json FILE] [--limit N] [--only LOGIN]`
// Runs the match digest for one ISO week (default: this week). Safe to run again: people who got
// this week's digest are skipped. Exit codes: 0 done, 1 failed, 2 bad options, 3 another run is going.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase, prepareDatabase } from "#app/utils/db.server.ts";
import { EnvError } from "#app/utils/env.server.ts";
import { DigestInputError, runDigest, type DigestSummary } from "#app/jobs/digest.server.ts";

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
  return ({ done, total }: { done: number; total: number }) => {
    if (total === 0) return;
    const fraction = done / total;
    if (tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} (${Math.round(fraction * 100)}%)`,
      );
      if (done === total) process.stderr.write("\n");
      return;
    }
    const step = Math.floor(fraction * 20);
    if (step > lastStep) {
      lastStep = step;
      process.stderr.write(`digest: ${done}/${total} sent (${step * 5}%)\n`);
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
  ].join("\n");
}

try {
  await prepareDatabase();
  const summary = await runDigest({
    week: args.values.week,
    dryRun: args.values["dry-run"],
    limit,
    only: args.values.only,
    onProgress: args.values["dry-run"] ? undefined : progressPrinter(),
  });
  if (summary.status === "busy") fail("Another digest run is in progress; nothing was done.", 3);
  if (args.values.json) {
    const out = { week: summary.week, recipients: summary.dryRunRecipients ?? [] };
    writeFileSync(args.values.json, `${JSON.stringify(out, null, 2)}\n`);
  }
  process.stdout.write(`${describe(summary)}\n`);
  closeDatabase();
} catch (error) {
  if (error instanceof DigestInputError) fail(`${error.message}\n${usage}`, 2);
  if (error instanceof EnvError) fail(error.problems.map((p) => `config error: ${p}`).join("\n"), 1);
  fail(`digest failed: ${error instanceof Error ? error.message : String(error)}`, 1);
}
