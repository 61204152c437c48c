// Checks that fly.toml, the Dockerfile and the server agree, so a deploy cannot fail on a mismatch
// that no other test would notice (wrong port, health check path, volume path, lost database).
import { readFileSync } from "node:fs";
import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (file: string) => readFileSync(root + file, "utf8");

type FlyConfig = {
  env?: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  http_service?: {
    internal_port?: unknown;
    force_https?: unknown;
    min_machines_running?: unknown;
    checks?: Array<Record<string, unknown>>;
  };
  mounts?: { source?: unknown; destination?: unknown } | Array<{ source?: unknown; destination?: unknown }>;
  vm?: Array<Record<string, unknown>>;
  swap_size_mb?: unknown;
};

const fly = parse(read("fly.toml")) as FlyConfig;
const dockerfile = read("Dockerfile");

/** The instructions of the Dockerfile's last stage (the image that runs), continuation lines joined. */
function runtimeStage(text: string): string[] {
  const lines = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  const lastFrom = lines.findLastIndex((line) => /^FROM\s/i.test(line));
  return lines.slice(lastFrom);
}

/** ENV values of the runtime stage (`ENV A=b C=d` and the legacy `ENV A b` form). */
function dockerEnv(stage: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of stage) {
    const m = /^ENV\s+(.*)$/i.exec(line);
    if (!m?.[1]) continue;
    const rest = m[1].trim();
    if (!rest.includes("=")) {
      const [key, ...value] = rest.split(/\s+/);
      if (key) env[key] = value.join(" ");
      continue;
    }
    for (const pair of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|\S*)/g)) {
      env[pair[1]!] = pair[3] ?? pair[4] ?? pair[2] ?? "";
    }
  }
  return env;
}

const stage = runtimeStage(dockerfile);
const imageEnv = dockerEnv(stage);
const flyEnv = fly.env ?? {};
const mounts = Array.isArray(fly.mounts) ? fly.mounts : fly.mounts ? [fly.mounts] : [];

/** The directory holding the database file of a `file:` URL, or undefined for other URLs. */
function databaseDirectory(url: unknown): string | undefined {
  if (typeof url !== "string" || !url.startsWith("file:")) return undefined;
  const path = url.slice("file:".length).split("?")[0] ?? "";
  return posix.dirname(path);
}

/** A Fly memory size ("256mb", "1gb", 256) in megabytes. */
function megabytes(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const m = /^(\d+)\s*(mb|gb)?$/i.exec(value.trim());
  if (!m) return undefined;
  return Number(m[1]) * (m[2]?.toLowerCase() === "gb" ? 1024 : 1);
}

describe("fly.toml agrees with the image and the server", () => {
  it("sends traffic to the port the server listens on", () => {
    const internal = fly.http_service?.internal_port;
    expect(internal, "fly.toml [http_service] internal_port is missing").toBeTypeOf("number");
    expect(
      String(internal),
      `fly.toml internal_port (${String(internal)}) must equal the Dockerfile's ENV PORT (${imageEnv.PORT})`,
    ).toBe(imageEnv.PORT);
    expect(
      String(flyEnv.PORT),
      `fly.toml [env] PORT (${String(flyEnv.PORT)}) must equal internal_port (${String(internal)})`,
    ).toBe(String(internal));
    const exposed = stage.filter((l) => /^EXPOSE\s/i.test(l)).flatMap((l) => l.split(/\s+/).slice(1));
    expect(exposed, `the Dockerfile should EXPOSE ${String(internal)}`).toContain(String(internal));
  });

  it("checks /healthz, which the server answers", () => {
    const checks = fly.http_service?.checks ?? [];
    expect(checks.length, "fly.toml needs an [[http_service.checks]] entry").toBeGreaterThan(0);
    for (const check of checks) {
      expect(check.path, "the health check must GET /healthz").toBe("/healthz");
      expect(check.method ?? "GET", "the health check must use GET (GET never changes state)").toBe("GET");
      for (const field of ["interval", "timeout", "grace_period"]) {
        expect(check[field], `the health check should set ${field}`).toBeDefined();
      }
    }
    expect(
      read("server.ts"),
      'server.ts must register the /healthz handler (app.get("/healthz", …)) that the Fly check calls',
    ).toMatch(/app\.get\(\s*["']\/healthz["']/);
  });

  it("keeps the database on the volume", () => {
    expect(mounts.length, "fly.toml needs a [mounts] section for the SQLite volume").toBe(1);
    const destination = mounts[0]?.destination;
    expect(
      databaseDirectory(flyEnv.DATABASE_URL),
      `fly.toml [env] DATABASE_URL (${String(flyEnv.DATABASE_URL)}) must be a file inside the volume mounted at ${String(destination)}; anything else is lost on restart`,
    ).toBe(destination);
    expect(
      databaseDirectory(imageEnv.DATABASE_URL),
      `the Dockerfile's ENV DATABASE_URL (${imageEnv.DATABASE_URL}) must be a file inside ${String(destination)}`,
    ).toBe(destination);
    expect(
      stage.some((l) => new RegExp(`^RUN\\s.*chown\\s+node(:node)?\\s+${String(destination)}(\\s|$)`).test(l)),
      `the Dockerfile must create ${String(destination)} owned by the node user`,
    ).toBe(true);
  });

  it("serves HTTPS only", () => {
    expect(fly.http_service?.force_https, "fly.toml [http_service] force_https must be true").toBe(true);
  });

  it("keeps a machine running for the scheduler inside the web process", () => {
    expect(
      Number(fly.http_service?.min_machines_running ?? 0),
      "min_machines_running must be at least 1: a stopped machine runs no scheduled jobs",
    ).toBeGreaterThanOrEqual(1);
  });

  it("runs on a 256 MB VM", () => {
    const vm = fly.vm ?? [];
    expect(vm.length, "fly.toml needs a [[vm]] section").toBeGreaterThan(0);
    expect(megabytes(vm[0]?.memory), `[[vm]] memory is ${String(vm[0]?.memory)}, expected 256 MB`).toBe(256);
  });

  it("gives the weekly digest's memory peak swap to spill into instead of an out-of-memory stop", () => {
    expect(Number(fly.swap_size_mb), "set swap_size_mb (docs/operations.md, Memory)").toBeGreaterThanOrEqual(256);
  });

  it("has no release_command (it runs without the volume; the server migrates at start-up)", () => {
    expect(
      fly.deploy ?? {},
      "remove [deploy] release_command: it runs in a temporary machine without the volume",
    ).not.toHaveProperty("release_command");
  });

  it("runs the built server as the non-root node user", () => {
    const user = stage.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user, "the runtime stage must switch to USER node").toMatch(/^USER\s+node$/i);
    expect(stage.at(-1), 'the Dockerfile should end with CMD ["node", "build/server.js"]').toBe(
      'CMD ["node", "build/server.js"]',
    );
    expect(imageEnv.NODE_ENV, "the image must set NODE_ENV=production").toBe("production");
  });

  it("makes the compile cache the server reads as the user it runs as (Node keeps one per user id)", () => {
    const cache = imageEnv.NODE_COMPILE_CACHE;
    expect(cache, "the image must set NODE_COMPILE_CACHE").toBeTruthy();
    const made = stage.findIndex((l) => /^RUN\s+node\s+scripts\/compile-cache\.js$/.test(l));
    const user = stage.findLastIndex((l) => /^USER\s/i.test(l));
    expect(made, "the runtime stage must run scripts/compile-cache.js").toBeGreaterThan(-1);
    expect(stage[user], "…after switching to USER node: a cache made by root is not read by node").toMatch(
      /^USER\s+node$/i,
    );
    expect(made).toBeGreaterThan(user);
    const owned = stage.some((l) => /^RUN\s.*chown\s+node:node\s/.test(l) && l.split(/\s+/).includes(cache!));
    expect(owned, `${cache} must belong to node, who writes the cache`).toBe(true);
  });
});
