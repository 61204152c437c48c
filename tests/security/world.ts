// The seeded world the security suite runs against: the demo data (every area's seeder) plus one
// person per role, each with nothing but that role, and helpers to call route modules directly.
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { resolve } from "node:path";

import { APP, context } from "#tests/support/routes.ts";

export { APP, context };

export const roles = ["anonymous", "volunteer", "maintainer", "roadie", "admin", "suspended"] as const;
export type Role = (typeof roles)[number];

/** Every route module in app/routes, named as in the matrix (the file name without its extension). */
export function routeFiles(): string[] {
  return readdirSync(resolve(import.meta.dirname, "../../app/routes"))
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => f.replace(/\.tsx?$/, ""))
    .sort();
}

export type RouteModule = {
  loader?: (args: { request: Request; params: Record<string, string>; context: typeof context }) => unknown;
  action?: (args: { request: Request; params: Record<string, string>; context: typeof context }) => unknown;
};

export async function importRoute(route: string): Promise<RouteModule> {
  const file = readdirSync(resolve(import.meta.dirname, "../../app/routes")).find(
    (f) => f.replace(/\.tsx?$/, "") === route,
  );
  return (await import(resolve(import.meta.dirname, "../../app/routes", file!))) as RouteModule;
}

/** The URL path a route file serves, with its params filled in (Remix flat-route conventions). */
export function routePath(route: string, params: Record<string, string>): string {
  const segments = route
    .replace(/\[\.\]/g, "\u0000")
    .split(".")
    .map((s) => s.replace(/\u0000/g, "."))
    .filter((s) => s !== "_index" && !/^_[^.]/.test(s) && s !== "")
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s.startsWith("$") ? encodeURIComponent(params[s.slice(1)] ?? "") : s));
  return "/" + segments.join("/");
}

export type World = {
  users: Record<Exclude<Role, "anonymous">, { id: number; login: string }>;
  /** Makes a fresh session cookie for a role (a new one per call: some actions end sessions). */
  cookie(role: Role): Promise<string | undefined>;
};

let worldPromise: Promise<World> | undefined;

/** Seeds once per test file (each file has its own database). */
export function world(): Promise<World> {
  worldPromise ??= buildWorld();
  return worldPromise;
}

async function buildWorld(): Promise<World> {
  const { db, schema } = await import("#app/utils/db.server.ts");
  const { seedDemo } = await import("#db/demo.ts");
  const { createSession, sessionSetCookie } = await import("#app/models/people/sessions.server.ts");
  const { eq } = await import("drizzle-orm");
  const now = Date.now();
  await seedDemo(db(), now);

  const person = async (login: string, githubId: number) => {
    const [row] = await db()
      .insert(schema.users)
      .values({ githubId, login, name: login, email: `${login}@example.invalid`, createdAt: now, updatedAt: now })
      .returning({ id: schema.users.id, login: schema.users.login });
    return row!;
  };
  const volunteer = await person("sec-volunteer", 7_000_001);
  const maintainer = await person("sec-maintainer", 7_000_002);
  const roadie = await person("sec-roadie", 7_000_003);
  const suspended = await person("sec-suspended", 7_000_004);
  const admin = (await db()
    .select({ id: schema.users.id, login: schema.users.login })
    .from(schema.users)
    .where(eq(schema.users.login, "ada-demo"))
    .get())!;

  // The maintainer looks after the package of the call, request and compatibility routes in the matrix.
  const pkg = (await db()
    .select({ id: schema.packages.id })
    .from(schema.packages)
    .where(eq(schema.packages.name, MATRIX_PACKAGE))
    .get())!;
  await db().insert(schema.packageMaintainers).values({
    packageId: pkg.id,
    userId: maintainer.id,
    githubLogin: maintainer.login,
    verifiedAt: now,
    createdAt: now,
  });
  await db()
    .insert(schema.memberships)
    .values({
      userId: roadie.id,
      role: "roadie",
      status: "active",
      startedAt: now,
      termEndsAt: now + 365 * 86_400_000,
    });
  await db()
    .insert(schema.accountSuspensions)
    .values({ userId: suspended.id, reason: "security suite", createdAt: now });

  const users = { volunteer, maintainer, roadie, admin, suspended };
  return {
    users,
    async cookie(role) {
      if (role === "anonymous") return undefined;
      const { token } = await createSession(users[role].id, "security-suite");
      return sessionSetCookie(token).split(";")[0];
    },
  };
}

/** The package whose verified maintainer plays "maintainer" (demo call 15 is for it). */
export const MATRIX_PACKAGE = "django-debug-toolbar";

export type Outcome = string;

type DataResult = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

/** What a person would get: a status, "login" for a redirect to sign in, or "error: …" for a throw. */
export async function outcomeOf(run: () => unknown): Promise<Outcome> {
  let result: unknown;
  try {
    result = await run();
  } catch (thrown) {
    // `throw data(…, { status })` is Remix's way to answer with an error page and a status.
    const thrownData = thrown as DataResult | null;
    if (thrownData && typeof thrownData === "object" && thrownData.type === "DataWithResponseInit") {
      return String(thrownData.init?.status ?? 500);
    }
    if (!(thrown instanceof Response)) {
      return `error: ${thrown instanceof Error ? thrown.message.split("\n")[0] : String(thrown)}`;
    }
    result = thrown;
  }
  if (result instanceof Response) {
    const location = result.headers.get("location");
    if (result.status >= 300 && result.status < 400 && location !== null) {
      return location.startsWith("/login") ? "login" : "redirect";
    }
    return String(result.status);
  }
  if (result && typeof result === "object" && (result as DataResult).type === "DataWithResponseInit") {
    const init = (result as DataResult).init;
    const location = init?.headers ? new Headers(init.headers).get("location") : null;
    if (location) return location.startsWith("/login") ? "login" : "redirect";
    return String(init?.status ?? 200);
  }
  return "200";
}

export async function callRoute(
  mod: RouteModule,
  kind: "loader" | "action",
  route: string,
  params: Record<string, string>,
  cookie: string | undefined,
  body?: BodyInit,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  const fn = mod[kind]!;
  const request = new Request(`${APP}${routePath(route, params)}`, {
    method: kind === "loader" ? "GET" : "POST",
    headers: { ...(cookie ? { Cookie: cookie } : {}), ...(kind === "action" ? { Origin: APP } : {}), ...headers },
    body: kind === "action" ? (body ?? new URLSearchParams()) : undefined,
  });
  return outcomeOf(() => fn({ request, params, context }));
}

// Tables that change on every request by design (sessions touched, rate-limit counters, leases).
// audit_repeats counts refused looks at confidential requests, which are audited, not changes.
const VOLATILE = new Set([
  "sessions",
  "rate_limits",
  "job_leases",
  "app_state",
  "__drizzle_migrations",
  "audit_repeats",
]);

/** A checksum per table of everything people could have changed; compare before and after. */
export async function tableChecksums(): Promise<Record<string, string>> {
  const { db } = await import("#app/utils/db.server.ts");
  const tables = (
    await db().run("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
  ).rows.map((r) => String(r.name));
  const sums: Record<string, string> = {};
  for (const table of tables) {
    if (VOLATILE.has(table)) continue;
    // Looking at a confidential request (or its conversation, or a refused look at a conversation) is itself
    // audited (app/models/requests/requests.server.ts, app/models/conversations/threads.server.ts): not a change.
    const where =
      table === "audit_log"
        ? ` WHERE action NOT IN ('request.view', 'request.view_refused', 'request.thread_view', 'thread.view_refused')`
        : "";
    const rows = (await db().run(`SELECT * FROM "${table}"${where}`)).rows.map((r) => JSON.stringify(r)).sort();
    sums[table] = `${rows.length}:${createHash("sha256").update(rows.join("\n")).digest("hex").slice(0, 16)}`;
  }
  return sums;
}
