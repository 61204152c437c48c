// `npm run bench:lighthouse`: Lighthouse (mobile, its default simulated throttling) on the home
// page, /calls and one call page of the production build in demo mode, in Debian's Chromium.
// Prints the four category scores of each page and the JavaScript /calls ships on first load
// (transfer sizes of its script requests, so gzipped as served). Targets: every score at least 95,
// at most 150 KB of JavaScript. Figures are printed, never asserted. LH_DEBUG=1 also prints the
// details of every audit under 90.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"] as const;
const SCORE_TARGET = 95;
const JS_TARGET_KB = 150;

/** The flags docs/PITFALLS asks for on this closed network, plus headless. */
const CHROME_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolvePort(port));
    });
  });
}

async function startDemoServer(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      DEMO_MODE: "true",
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, "lighthouse.db")}`,
      SCHEDULER: "off",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("the server did not answer /healthz within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The first call linked from /calls: a page a visitor from a forum link lands on. */
async function firstCallPath(base: string): Promise<string> {
  const html = await (await fetch(`${base}/calls`)).text();
  const path = /href="(\/calls\/\d+)"/.exec(html)?.[1];
  if (!path) throw new Error("no call is linked from /calls");
  return path;
}

type PageResult = {
  path: string;
  scores: Record<(typeof CATEGORIES)[number], number>;
  scriptKb: number;
  failed: string[];
};

async function audit(url: string, port: number): Promise<Omit<PageResult, "path">> {
  const result = await lighthouse(url, {
    port,
    output: "json",
    logLevel: "error",
    onlyCategories: [...CATEGORIES],
  });
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  const { lhr } = result;
  if (lhr.runtimeError) throw new Error(`Lighthouse failed on ${url}: ${lhr.runtimeError.message}`);
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
  ) as PageResult["scores"];
  const requests =
    (lhr.audits["network-requests"]?.details as { items?: Record<string, unknown>[] } | undefined)?.items ?? [];
  const scriptBytes = requests
    .filter((r) => r.resourceType === "Script")
    .reduce((sum, r) => sum + Number(r.transferSize ?? 0), 0);
  // The audits that cost points, so a score under target says where to look.
  const failed = CATEGORIES.flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0)
      .map((ref) => lhr.audits[ref.id]!)
      .filter((a) => a.score !== null && a.score < 0.9)
      .map(
        (a) =>
          `${c}: ${a.id} (${a.displayValue ?? a.score})${process.env.LH_DEBUG ? JSON.stringify(a.details).slice(0, 1500) : ""}`,
      ),
  );
  return { scores, scriptKb: scriptBytes / 1024, failed };
}

if (!existsSync("build/server.js")) {
  console.log("Building the production bundle...");
  const built = spawnSync("npm", ["run", "build", "--silent"], { stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const dir = mkdtempSync(join(tmpdir(), "roadies-lighthouse-"));
const profile = resolve(dir, "chrome-profile");
mkdirSync(profile);
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = await startDemoServer(port, dir);
let chrome: chromeLauncher.LaunchedChrome | undefined;

const results: PageResult[] = [];
try {
  chrome = await chromeLauncher.launch({
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    chromeFlags: CHROME_FLAGS,
    userDataDir: profile,
  });
  const paths = ["/", "/calls", await firstCallPath(base)];
  // One unmeasured visit first, so the server's caches and the disk cache of the build are warm
  // as they are in production, where pages are hit all day.
  for (const path of paths) await fetch(`${base}${path}`);
  for (const path of paths) results.push({ path, ...(await audit(`${base}${path}`, chrome.port)) });
} finally {
  chrome?.kill();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\nLighthouse (mobile), ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Debian Chromium`);
console.log(["page".padEnd(12), ...CATEGORIES.map((c) => c.padStart(15))].join(""));
for (const r of results) {
  console.log([r.path.padEnd(12), ...CATEGORIES.map((c) => String(r.scores[c]).padStart(15))].join(""));
}
const calls = results.find((r) => r.path === "/calls")!;
console.log(`\nJavaScript on first load of /calls: ${calls.scriptKb.toFixed(1)} KB transferred (gzipped)`);

const misses = [
  ...results.flatMap((r) =>
    CATEGORIES.filter((c) => r.scores[c] < SCORE_TARGET).map((c) => `${r.path} ${c} ${r.scores[c]} < ${SCORE_TARGET}`),
  ),
  ...(calls.scriptKb > JS_TARGET_KB ? [`/calls JavaScript ${calls.scriptKb.toFixed(1)} KB > ${JS_TARGET_KB} KB`] : []),
];
console.log(misses.length ? `\nTargets missed:\n  ${misses.join("\n  ")}` : "\nAll targets met.");
for (const r of results.filter((r) => r.failed.length)) {
  console.log(`\nAudits under 90 on ${r.path}:\n  ${r.failed.join("\n  ")}`);
}
