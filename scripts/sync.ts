// `npm run sync -- [--package NAME]... | --all`: fetches package metadata from PyPI and GitHub.
import { parseArgs } from "node:util";
import { prepareDatabase, closeDatabase } from "#app/utils/db.server.ts";
import { runSync } from "#app/jobs/sync.server.ts";

const { values } = parseArgs({
  options: { package: { type: "string", multiple: true }, all: { type: "boolean" }, help: { type: "boolean" } },
});
if (values.help || (!values.all && !values.package?.length)) {
  process.stdout.write("usage: npm run sync -- --all | --package NAME [--package NAME ...]\n");
  process.exit(values.help ? 0 : 2);
}
await prepareDatabase();
const summary = await runSync({
  packages: values.all ? undefined : values.package,
  trigger: "cli",
  onProgress(done, total, o) {
    const width = String(total).length;
    process.stdout.write(
      `[${String(done).padStart(width)}/${total}] ${o.name}: ${o.result} (PyPI ${o.pypi}, GitHub ${o.github}, downloads ${o.downloads})${o.error ? ` · ${o.error}` : ""}\n`,
    );
  },
});
process.stdout.write(
  `\nSynced ${summary.total} package(s) in ${(summary.durationMs / 1000).toFixed(1)} s: ` +
    `${summary.updated} updated, ${summary.unchanged} unchanged, ${summary.failed} failed.\n`,
);
if (summary.resumedRunId) process.stdout.write(`Continued run ${summary.resumedRunId}, which did not finish.\n`);
for (const [service, c] of Object.entries(summary.requests)) {
  if (c.requests === 0) continue;
  process.stdout.write(
    `${service}: ${c.requests} request(s), ${c.notModified} not modified (304), ${c.notFound} not found, ` +
      `${c.rateLimited} rate-limited, ${c.pauses} pause(s) (${Math.round(c.pausedMs / 1000)} s)\n`,
  );
}
if (values.package?.length && summary.total < values.package.length) {
  process.stdout.write(`${values.package.length - summary.total} name(s) are not packages on Roadies.\n`);
}
closeDatabase();
process.exit(summary.failed > 0 && summary.updated + summary.unchanged === 0 ? 1 : 0);
