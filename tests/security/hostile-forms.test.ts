// Hostile form shapes against every action in the route list: a huge array index, 50,000 repeats of
// one field, a 10,000-deep name, 5,000 fields, Conform's `__state__`/`__intent__` that are not what
// Conform sends, and bodies full of NULs. Each must be refused with a 4xx (or the form back with its
// errors) within a bounded CPU time, change nothing, and leave no unsafe character in the database.
// The bounds live in one place, app/utils/form.server.ts (readFormData), which every action uses.
import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { Webhook } from "standardwebhooks";
import { beforeAll, describe, expect, test } from "vitest";
import { paramsFor, routeMatrix } from "./route-matrix.ts";
import {
  APP,
  context,
  importRoute,
  outcomeOf,
  routeFiles,
  routePath,
  tableChecksums,
  world,
  type World,
} from "./world.ts";

// Set before any app module reads its environment (world.ts imports the app lazily).
const WEBHOOK_SECRET = `whsec_${Buffer.from("hostile-forms-webhook-secret!!").toString("base64")}`;
process.env.RESEND_WEBHOOK_SECRET = WEBHOOK_SECRET;

/** Generous: a bounded parse of a 1 MB body takes a few milliseconds; the unbounded one took seconds. */
const CPU_BUDGET_MS = 500;

let w: World;
beforeAll(async () => {
  w = await world();
}, 60_000);

function source(route: string) {
  const dir = resolve(import.meta.dirname, "../../app/routes");
  return readFileSync(
    resolve(
      dir,
      readdirSync(dir).find((f) => f.replace(/\.tsx?$/, "") === route)!,
    ),
    "utf8",
  );
}

/** The least powerful person the matrix lets through this action (admin when nobody is). */
function roleFor(route: string) {
  const action = routeMatrix[route]?.action;
  if (!action || action === "none") return "admin" as const;
  return (["volunteer", "maintainer", "roadie", "admin"] as const).find((r) => action[r] === "allowed") ?? "admin";
}

const form = (body: string) => ({ body, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
const multipart = (pairs: [string, string][]) => {
  const data = new FormData();
  for (const [name, value] of pairs) data.append(name, value);
  return { body: data, headers: {} as Record<string, string> };
};

const hostileShapes: { label: string; make: () => { body: BodyInit; headers: Record<string, string> } }[] = [
  { label: "x[999999999]=x", make: () => form("x[999999999]=x") },
  { label: "categories[999999999]=x as multipart", make: () => multipart([["categories[999999999]", "x"]]) },
  { label: "50,000 repeats of one field", make: () => form(Array(50_000).fill("title=x").join("&")) },
  { label: "300 repeats of one field", make: () => form(Array(300).fill("categories=x").join("&")) },
  { label: "a 10,000-deep name", make: () => form(`${"a.".repeat(9_999)}a=x`) },
  { label: "a 10,000-deep bracket name", make: () => form(`a${"[0]".repeat(10_000)}=x`) },
  { label: "5,000 distinct fields", make: () => form(Array.from({ length: 5_000 }, (_, i) => `f${i}=x`).join("&")) },
  {
    label: "5,000 distinct fields as multipart",
    make: () => multipart(Array.from({ length: 5_000 }, (_, i): [string, string] => [`f${i}`, "x"])),
  },
  { label: "__state__ that is not JSON", make: () => form("__state__=%7Bnot+json&title=x") },
  { label: "__state__ nested 10,000 deep", make: () => form(`__state__=${"%5B".repeat(10_000)}`) },
  { label: "__intent__ that is not JSON", make: () => form("__intent__=validate%2F&title=x") },
  {
    label: "__intent__ that updates index 999999999",
    make: () =>
      form(
        `__intent__=${encodeURIComponent(JSON.stringify({ type: "update", payload: { name: "categories", index: 999_999_999, value: "x" } }))}`,
      ),
  },
  {
    label: "__intent__ with a list change on a text field",
    make: () =>
      form(`title=x&__intent__=${encodeURIComponent(JSON.stringify({ type: "insert", payload: { name: "title" } }))}`),
  },
  { label: "__intent__ as a file", make: () => ({ body: fileForm(), headers: {} }) },
];

function fileForm() {
  const data = new FormData();
  data.append("__intent__", new File(["{}"], "intent.json"));
  return data;
}

/** Every text value in the database that holds a character cleanText would remove. */
async function uncleanText(): Promise<string[]> {
  const { db } = await import("#app/utils/db.server.ts");
  const { isCleanText } = await import("#app/utils/text.ts");
  const tables = (
    await db().run("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
  ).rows.map((r) => String(r.name));
  const found: string[] = [];
  for (const table of tables) {
    for (const row of (await db().run(`SELECT * FROM "${table}"`)).rows) {
      for (const [column, value] of Object.entries(row)) {
        if (typeof value === "string" && !isCleanText(value))
          found.push(`${table}.${column}: ${JSON.stringify(value)}`);
      }
    }
  }
  return found;
}

async function post(route: string, body: BodyInit, headers: Record<string, string>) {
  const mod = await importRoute(route);
  const params = paramsFor(route);
  const role = roleFor(route);
  const cookie = await w.cookie(role);
  const request = new Request(`${APP}${routePath(route, params)}`, {
    method: "POST",
    headers: { ...(cookie ? { Cookie: cookie } : {}), Origin: APP, ...headers },
    body,
  });
  const cpu = process.cpuUsage();
  const outcome = await outcomeOf(() => mod.action!({ request, params, context }));
  const used = process.cpuUsage(cpu);
  return { outcome, role, cpuMs: (used.user + used.system) / 1000 };
}

const actionRoutes = routeFiles().filter((r) => routeMatrix[r]?.action && routeMatrix[r]!.action !== "none");
// Actions that never read a body (logout, token links): what is posted cannot matter to them.
const readsForm = (route: string) => /readFormData\(/.test(source(route));

test("the hostile corpus reaches every action that reads a form", () => {
  expect(actionRoutes.filter(readsForm).length).toBeGreaterThan(30);
});

describe.each(actionRoutes)("%s action", (route) => {
  test(`every form is bounded: hostile shapes get a 4xx within ${CPU_BUDGET_MS} ms of CPU and change nothing`, async () => {
    const problems: string[] = [];
    const before = await tableChecksums();
    for (const shape of hostileShapes) {
      const { body, headers } = shape.make();
      const { outcome, role, cpuMs } = await post(route, body, headers);
      const label = `${route} as ${role} with ${shape.label}: ${outcome} in ${Math.round(cpuMs)} ms`;
      if (cpuMs > CPU_BUDGET_MS) problems.push(`${label} (over the CPU budget)`);
      if (!readsForm(route)) {
        if (/^(error|5\d\d)/.test(outcome)) problems.push(label);
        continue;
      }
      // Someone the matrix lets through meets the form reader itself: a 400 (413 for a big body).
      const through = (routeMatrix[route]!.action as Record<string, string>)[role] === "allowed";
      if (through ? !/^(400|413)$/.test(outcome) : !/^4\d\d$/.test(outcome)) problems.push(label);
    }
    // Every shape above was refused: none of them may have changed anything.
    const after = await tableChecksums();
    const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
    if (changed.length && readsForm(route)) problems.push(`${route}: the refused forms changed ${changed.join(", ")}`);
    expect(problems).toEqual([]);
  });

  test("text hygiene: NUL, U+FFFF, lone surrogates and C0 controls in every field are never stored", async () => {
    const names = new Set(["intent", "title", "description", "message", "body", "name", "bio", "reason", "details"]);
    for (const m of source(route).matchAll(/name[=:]\s*["'`]([\w.[\]-]+)["'`]/g)) names.add(m[1]!);
    for (const m of source(route).matchAll(/fields\.(\w+)/g)) names.add(m[1]!);
    // Intents as compared (`intent === "x"`) or switched on (`case "x":`).
    const intents = [...source(route).matchAll(/(?:intent\s*===?\s*|case\s+)["'`]([\w-]+)["'`]/g)].map((m) => m[1]!);
    const dirty = "\u0000\u0000\u0000\u0000\u0000";
    const pairs: [string, string][] = [...names].map((n) => [n, `${dirty}\uffff\ud800\u0007`]);
    pairs.push(["na\u0000me", "\u0000x\u0000"]);
    for (const intent of [...new Set(intents), undefined]) {
      const body = new URLSearchParams(intent ? [["intent", intent], ...pairs] : pairs).toString();
      const { outcome, role } = await post(route, body, form(body).headers);
      expect(outcome, `${route} as ${role} with intent ${intent}`).not.toMatch(/^(error|5\d\d)/);
    }
    expect(await uncleanText()).toEqual([]);
  });
});

test("a call title of five NULs is refused as empty, with the message next to the title; controls are stripped", async () => {
  const { db, schema } = await import("#app/utils/db.server.ts");
  const newCall = await importRoute("calls.new");
  const cookie = await w.cookie("admin");
  const send = async (title: string) => {
    const body = new URLSearchParams([
      ["package", "django-debug-toolbar"],
      ["kind", "co-maintainer"],
      ["title", title],
      ["description", "Help review pull requests and cut releases every few months, with us."],
      ["skills", "testing:comfortable"],
      ["hoursPerWeek", "3"],
      ["djangoVersions", "5.2"],
      ["urgency", "normal"],
      ["expiresOn", new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)],
    ]);
    const request = new Request(`${APP}/calls/new`, {
      method: "POST",
      headers: { Cookie: cookie!, Origin: APP },
      body,
    });
    return (await newCall.action!({ request, params: {}, context })) as Response | DataResult;
  };
  type DataResult = { data: { error: Record<string, string[]> }; init: { status: number } };
  const titles = async () =>
    (await db().select({ title: schema.calls.title }).from(schema.calls).all()).map((c) => c.title);
  const before = await titles();

  const refused = (await send("\u0000".repeat(5))) as DataResult;
  expect(refused.init.status).toBe(400);
  expect(refused.data.error.title?.[0]).toMatch(/\w/);
  expect(await titles()).toEqual(before);

  // A lone surrogate cannot travel in UTF-8 (it arrives as U+FFFD); the rest is stripped on arrival.
  await db().delete(schema.rateLimits);
  const posted = (await send("Re\u0000lease\uffff help \u0007wanted\u001b now\u007f")) as Response;
  expect(posted.status).toBe(302);
  expect(await titles()).toContain("Release help wanted now");
});

describe("signed webhook bodies that are not an event object are a 400, never a 500", () => {
  const cases: [string, string][] = [
    ["null", "null"],
    ["a number", "42"],
    ["an array", "[]"],
    ["JSON nested 100,000 deep", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
    ["an object nested 10,000 deep", `${'{"data":'.repeat(10_000)}1${"}".repeat(10_000)}`],
    ["not JSON", "{"],
  ];
  test.each(cases)("%s", async (_label, body) => {
    const webhook = await importRoute("webhooks.resend");
    const id = `msg_${Math.random().toString(36).slice(2)}`;
    const sentAt = new Date();
    const request = new Request(`${APP}/webhooks/resend`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "svix-id": id,
        "svix-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "svix-signature": new Webhook(WEBHOOK_SECRET).sign(id, sentAt, body),
      },
      body,
    });
    const before = await tableChecksums();
    expect(await outcomeOf(() => webhook.action!({ request, params: {}, context }))).toBe("400");
    expect(await tableChecksums()).toEqual(before);
  });
});

describe("readFormData: the limits are exact, and a form within them is read whole and clean", () => {
  const read = async (body: BodyInit) => {
    const { readFormData } = await import("#app/utils/form.server.ts");
    return readFormData(new Request(`${APP}/x`, { method: "POST", body }));
  };
  const statusOf = (body: BodyInit) =>
    read(body).then(
      () => 200,
      (thrown: unknown) => (thrown instanceof Response ? thrown.status : -1),
    );

  test("at each limit the form is read; one past it is a 400", async () => {
    const { FORM_LIMITS: L } = await import("#app/utils/form.server.ts");
    const repeats = (n: number) => new URLSearchParams(Array.from({ length: n }, (): [string, string] => ["c", "x"]));
    const fields = (n: number) =>
      new URLSearchParams(Array.from({ length: n }, (_, i): [string, string] => [`f${i}`, "x"]));
    const deep = (n: number) => new URLSearchParams([[Array(n).fill("a").join("."), "x"]]);
    expect(await statusOf(repeats(L.repeatsOfOneName))).toBe(200);
    expect(await statusOf(repeats(L.repeatsOfOneName + 1))).toBe(400);
    expect(await statusOf(fields(L.fields))).toBe(200);
    expect(await statusOf(fields(L.fields + 1))).toBe(400);
    expect(await statusOf(new URLSearchParams([[`a[${L.arrayIndex}]`, "x"]]))).toBe(200);
    expect(await statusOf(new URLSearchParams([[`a[${L.arrayIndex + 1}]`, "x"]]))).toBe(400);
    expect(await statusOf(deep(L.depth))).toBe(200);
    expect(await statusOf(deep(L.depth + 1))).toBe(400);
    expect(await statusOf(new URLSearchParams([["n".repeat(L.nameLength), "x"]]))).toBe(200);
    expect(await statusOf(new URLSearchParams([["n".repeat(L.nameLength + 1), "x"]]))).toBe(400);
    expect(await statusOf("x=" + "y".repeat(L.bodyBytes))).toBe(413);
  });

  test("what Conform's own client sends gets through: validate, update and reset intents, its state", async () => {
    const intent = (value: unknown) =>
      new URLSearchParams([
        ["title", "x"],
        ["__intent__", JSON.stringify(value)],
      ]);
    expect(await statusOf(intent({ type: "validate", payload: { name: "title" } }))).toBe(200);
    expect(await statusOf(intent({ type: "update", payload: { name: "skills", index: 2, value: "x" } }))).toBe(200);
    expect(await statusOf(intent({ type: "reset", payload: {} }))).toBe(200);
    expect(await statusOf(new URLSearchParams([["__state__", JSON.stringify({ validated: { title: true } })]]))).toBe(
      200,
    );
    expect(await statusOf(intent({ type: "update", payload: { name: "a.__proto__.b", value: "x" } }))).toBe(400);
    expect(await statusOf(intent({ type: "remove", payload: { name: "skills", index: 0 } }))).toBe(400);
  });

  test("every name and value is cleaned, in multipart too; tab, newline and CRLF stay", async () => {
    const data = new FormData();
    data.append("ti\u0000tle", "a\u0000b\uffff\u0001c\td\r\ne\rf\u007f");
    const form = await read(data);
    // (Multipart encoding itself turns a lone CR into CRLF, as browsers do.)
    expect([...form.entries()]).toEqual([["title", "abc\td\r\ne\r\nf"]]);
    const urlencoded = await read(new URLSearchParams([["note", "e\rf\u0000"]]));
    expect(urlencoded.get("note")).toBe("e\nf");
  });

  test("parsing stays linear: a 1 MB form of the worst allowed shape reads in well under the budget", async () => {
    const big = new URLSearchParams(
      Array.from({ length: 1_000 }, (_, i): [string, string] => [`a${i % 5}[${i % 200}].b.c`, "x".repeat(1_000)]),
    );
    const cpu = process.cpuUsage();
    expect(await statusOf(big)).toBe(200);
    const used = process.cpuUsage(cpu);
    expect((used.user + used.system) / 1000).toBeLessThan(CPU_BUDGET_MS);
  });
});
