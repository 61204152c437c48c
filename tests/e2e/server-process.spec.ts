// The production server as an operator meets it: start-up checks, health, graceful shutdown.
import { expect, test } from "@playwright/test";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer as startProcess } from "#tests/support/server-process.ts";

const started: ChildProcess[] = [];
test.afterEach(() => {
  for (const child of started) if (child.exitCode === null) child.kill("SIGKILL");
});

function startServer(env: Record<string, string>) {
  const server = startProcess(env);
  started.push(server.child);
  return server;
}

async function waitForHealth(url: string, child: ChildProcess) {
  for (;;) {
    if (child.exitCode !== null) throw new Error("server exited");
    try {
      const response = await fetch(url);
      if (response.status === 200) return response;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("a production start without its settings exits non-zero naming each missing variable", async () => {
  const server = startServer({
    NODE_ENV: "production",
    DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "roadies-")), "x.db")}`,
  });
  expect(await server.exited).toBe(1);
  const lines = server.output().trim().split("\n");
  for (const name of ["APP_URL", "SESSION_SECRET", "GITHUB_CLIENT_ID", "RESEND_API_KEY", "TOKEN_ENCRYPTION_KEY"]) {
    expect(lines).toContain(`config error: ${name}: required when NODE_ENV=production`);
  }
});

test("demo mode refuses to start when GitHub credentials are configured", async () => {
  const server = startServer({ NODE_ENV: "production", DEMO_MODE: "true", GITHUB_CLIENT_SECRET: "real-secret" });
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain(
    "GITHUB_CLIENT_SECRET: demo mode refuses to start when real credentials are configured",
  );
});

test("a configured production server migrates, answers /healthz and stops cleanly on SIGTERM", async () => {
  const dir = mkdtempSync(join(tmpdir(), "roadies-"));
  const port = 3190;
  const server = startServer({
    NODE_ENV: "production",
    PORT: String(port),
    HOST: "127.0.0.1",
    APP_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: `file:${join(dir, "roadies.db")}`,
    SESSION_SECRET: "x".repeat(40),
    GITHUB_CLIENT_ID: "Iv1.test",
    GITHUB_CLIENT_SECRET: "test-secret",
    RESEND_API_KEY: "re_test",
    EMAIL_FROM: "Roadies <roadies@example.org>",
    RESEND_WEBHOOK_SECRET: "whsec_test",
    INTERNAL_API_TOKEN: "y".repeat(40),
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString("base64"),
    SCHEDULER: "off",
    RATE_LIMIT_SIGNIN_PER_MINUTE: "3",
  });
  const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, server.child);
  expect(await health.json()).toEqual({ status: "ok" });
  const home = await fetch(`http://127.0.0.1:${port}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get("strict-transport-security")).toContain("max-age=");
  // Oversized bodies are refused before any route reads them.
  const big = await fetch(`http://127.0.0.1:${port}/logout`, { method: "POST", body: "x".repeat(1024 * 1024 + 1) });
  expect(big.status).toBe(413);
  // Sign-in attempts are rate limited per address, with the time to wait.
  const attempts = [];
  for (let i = 0; i < 4; i++) {
    attempts.push(await fetch(`http://127.0.0.1:${port}/auth/github`, { method: "POST", redirect: "manual" }));
  }
  expect(attempts.map((r) => r.status)).toEqual([302, 302, 302, 429]);
  expect(Number(attempts[3]!.headers.get("retry-after"))).toBeGreaterThan(0);
  // The request log never holds query strings (OAuth codes) or cookies.
  await fetch(`http://127.0.0.1:${port}/auth/github/callback?code=secret-code&state=s`, {
    headers: { Cookie: "roadies_session=abc.def" },
  });
  server.child.kill("SIGTERM");
  expect(await server.exited).toBe(0);
  const log = server.output();
  expect(log).toContain('"msg":"stopped"');
  expect(log).toContain('"path":"/auth/github/callback"');
  expect(log).not.toContain("secret-code");
  expect(log).not.toContain("abc.def");
});
