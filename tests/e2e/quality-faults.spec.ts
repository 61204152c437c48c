// Roadies under concurrent writers and a locked database, as people meet it:
// - a short mixed load (bench/mixed.ts at small size) on its own production server while the
//   digest and a package sync write: no 5xx, no "database is locked", every acknowledged write stored;
// - saving a profile while another connection holds the database's write lock past the busy
//   timeout: a plain 503 page with Retry-After, nothing written; the same save works afterwards.
import { expect, openDatabase, test } from "#tests/support/e2e.ts";
import { spawn } from "node:child_process";
import { expectAccessible } from "./helpers.ts";

const PORT = Number(process.env.E2E_PORT ?? 3111);
const DEMO_DB = `file:tests/.tmp/e2e-${PORT}.db`;
// Its own server for the load; the demo server of this run stays untouched.
const MIXED_PORT = 3163;

type MixedResult = {
  requests: Record<string, number>;
  serverErrors: number;
  lockedBodies: number;
  networkErrors: number;
  acknowledged: Record<"interest" | "profile" | "application", number>;
  stored: Record<"interest" | "profile" | "application", number>;
  digest: { status: number; emails: number; deliveries: number };
  digestOverlapped: boolean;
  syncOverlapped: boolean;
  sync: { code: number | null; run: { total: number; done: number; failed: number } | null };
  problems: string[];
};

test("a short mixed load while the digest and a package sync write: no 5xx, no lock errors, every acknowledged write stored", async () => {
  test.setTimeout(180_000);
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "bench/mixed.ts",
      "--size",
      "small",
      "--duration",
      "12",
      "--connections",
      "4",
      "--port",
      String(MIXED_PORT),
      "--json",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((done) => child.on("exit", done));
  const line = out.split("\n").find((l) => l.startsWith("MIXED_RESULT "));
  expect(line, `bench/mixed.ts printed no result (exit ${code}):\n${err}`).toBeTruthy();
  const result = JSON.parse(line!.slice("MIXED_RESULT ".length)) as MixedResult;

  expect(result.problems, err).toEqual([]);
  expect(code).toBe(0);
  expect(result.serverErrors).toBe(0);
  expect(result.lockedBodies).toBe(0);
  expect(result.networkErrors).toBe(0);
  for (const kind of ["interest", "profile", "application"] as const) {
    expect(result.acknowledged[kind], `${kind} writes acknowledged`).toBeGreaterThan(0);
    expect(result.stored[kind], `${kind} rows stored`).toBe(result.acknowledged[kind]);
  }
  expect(result.digestOverlapped && result.syncOverlapped).toBe(true);
  expect(result.digest.status).toBe(200);
  expect(result.digest.emails).toBeGreaterThan(0);
  expect(result.digest.emails).toBe(result.digest.deliveries);
  expect(result.sync.code).toBe(0);
  expect(result.sync.run?.done).toBe(result.sync.run?.total);
});

async function storedHours(login: string): Promise<number | null> {
  const client = await openDatabase(DEMO_DB);
  try {
    const row = (
      await client.execute({ sql: "SELECT availability_hours AS h FROM users WHERE login = ?", args: [login] })
    ).rows[0];
    return (row?.h as number | null) ?? null;
  } finally {
    client.close();
  }
}

/** Holds the write lock (BEGIN IMMEDIATE) from another connection, as a second process would. */
async function holdWriteLock() {
  const client = await openDatabase(DEMO_DB);
  const tx = await client.transaction("write");
  return async () => {
    await tx.rollback();
    client.close();
  };
}

for (const javaScriptEnabled of [false, true]) {
  test(`saving a profile while the database is locked (${javaScriptEnabled ? "with" : "without"} JavaScript): a clear "try again" answer, nothing written, and the next save works`, async ({
    browser,
    signInAs,
  }) => {
    test.setTimeout(60_000);
    // The one demo person no other browser test uses; each run saves a value different from the stored one.
    const login = "farah-demo";
    const page = await signInAs(login, { page: await (await browser.newContext({ javaScriptEnabled })).newPage() });
    await page.goto("/settings/profile");
    const before = await storedHours(login);
    const hours = before === 13 ? "14" : "13";
    await page.getByLabel("Hours a week you can give").fill(hours);

    const release = await holdWriteLock();
    let answer;
    try {
      const waiting = page.waitForResponse((r) => r.request().method() === "POST");
      await page.getByRole("button", { name: "Save profile" }).click();
      answer = await waiting;
    } finally {
      await release();
    }
    expect(answer.status()).toBe(503);
    expect(answer.headers()["retry-after"]).toBe("5");
    if (javaScriptEnabled) {
      // The root ErrorBoundary, inside the app's layout: the same plain message, not "Something went wrong".
      await expect(page.getByRole("heading", { level: 1, name: "Roadies is busy for a moment" })).toBeVisible();
      await expect(page.getByText(/Nothing was half-saved\. Please try again in a few seconds/)).toBeVisible();
      await expect(page.getByText("Something went wrong")).toHaveCount(0);
      await expectAccessible(page);
      // "Try again" reopens the form (what was typed is gone: the error page replaced it).
      await page.getByRole("link", { name: "Try again" }).click();
      await expect(page.getByLabel("Hours a week you can give")).toBeVisible();
    } else {
      await expect(page.getByRole("heading", { level: 1, name: "Roadies is busy for a moment" })).toBeVisible();
      await expect(page.getByText(/try again in a few seconds/)).toBeVisible();
      // As the page says: going back finds the form with what was typed.
      await page.goBack();
      await expect(page.getByLabel("Hours a week you can give")).toHaveValue(hours);
    }
    const shown = await page.content();
    expect(shown).not.toMatch(/database is locked|SQLITE|Failed query/i);
    expect(await storedHours(login)).toBe(before);

    // The lock is gone: the same save goes through.
    await page.goto("/settings/profile");
    await page.getByLabel("Hours a week you can give").fill(hours);
    await page.getByRole("button", { name: "Save profile" }).click();
    await expect(page.getByText("Profile saved.")).toBeVisible();
    expect(await storedHours(login)).toBe(Number(hours));
    await page.context().close();
  });
}
