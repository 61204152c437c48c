import { describe, expect, test } from "vitest";
import { parseEnv } from "#app/utils/env.server.ts";

const production = {
  NODE_ENV: "production",
  APP_URL: "https://roadies.example.org",
  SESSION_SECRET: "s".repeat(40),
  GITHUB_CLIENT_ID: "Iv1.abc",
  GITHUB_CLIENT_SECRET: "secret",
  RESEND_API_KEY: "re_123",
  EMAIL_FROM: "Roadies <hello@roadies.example.org>",
  RESEND_WEBHOOK_SECRET: "whsec_abc",
  INTERNAL_API_TOKEN: "t".repeat(40),
  TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
};

describe("parseEnv", () => {
  test("a complete production environment is accepted", () => {
    const result = parseEnv(production);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.production).toBe(true);
    expect(result.env.host).toBe("0.0.0.0");
    expect(result.env.databaseUrl).toBe("file:data/roadies.db");
    expect(result.env.secureCookies).toBe(true);
    expect(result.env.github.oauthUrl).toBe("https://github.com");
  });

  test("one server process unless WEB_CONCURRENCY says more, which only production outside the demo takes", () => {
    const one = parseEnv(production);
    expect(one.ok && one.env.webConcurrency).toBe(1);
    const four = parseEnv({ ...production, WEB_CONCURRENCY: "4" });
    expect(four.ok && four.env.webConcurrency).toBe(4);
    const problemsOf = (source: Record<string, string>) => {
      const result = parseEnv(source);
      return result.ok ? [] : result.problems;
    };
    expect(problemsOf({ ...production, WEB_CONCURRENCY: "0" })).toEqual([
      "WEB_CONCURRENCY: must be at least 1 (server processes)",
    ]);
    expect(problemsOf({ ...production, WEB_CONCURRENCY: "two" })[0]).toMatch(/^WEB_CONCURRENCY: /);
    expect(problemsOf({ NODE_ENV: "development", WEB_CONCURRENCY: "2" })).toEqual([
      "WEB_CONCURRENCY: more than 1 needs NODE_ENV=production",
    ]);
    expect(problemsOf({ NODE_ENV: "production", DEMO_MODE: "true", WEB_CONCURRENCY: "2" })).toEqual([
      "WEB_CONCURRENCY: demo mode runs in one process",
    ]);
  });

  test("production names every missing setting, one line each", () => {
    const result = parseEnv({ NODE_ENV: "production" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "APP_URL: required when NODE_ENV=production",
      "SESSION_SECRET: required when NODE_ENV=production",
      "GITHUB_CLIENT_ID: required when NODE_ENV=production",
      "GITHUB_CLIENT_SECRET: required when NODE_ENV=production",
      "RESEND_API_KEY: required when NODE_ENV=production",
      "EMAIL_FROM: required when NODE_ENV=production",
      "RESEND_WEBHOOK_SECRET: required when NODE_ENV=production",
      "INTERNAL_API_TOKEN: required when NODE_ENV=production",
      "TOKEN_ENCRYPTION_KEY: required when NODE_ENV=production",
    ]);
  });

  test("malformed settings are reported by name", () => {
    const result = parseEnv({
      ...production,
      PORT: "eighty",
      DATABASE_URL: "postgres://x",
      SESSION_SECRET: "short",
      TOKEN_ENCRYPTION_KEY: "abc",
      APP_URL: "not a url",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const names = result.problems.map((p) => p.split(":")[0]);
    expect(names).toEqual(
      expect.arrayContaining(["PORT", "DATABASE_URL", "SESSION_SECRET", "TOKEN_ENCRYPTION_KEY", "APP_URL"]),
    );
  });

  // [scale] A libSQL server is spoken to over HTTP, where every request has a deadline.
  test("a libSQL server's deadline is validated, and WebSocket URLs (no deadline) are refused", () => {
    const ok = parseEnv({
      ...production,
      DATABASE_URL: "libsql://roadies.example.turso.io",
      DATABASE_TIMEOUT_MS: "2500",
    });
    expect(ok.ok && ok.env.databaseTimeoutMs).toBe(2500);
    const defaults = parseEnv({ ...production, DATABASE_URL: "https://db.example.org" });
    expect(defaults.ok && defaults.env.databaseTimeoutMs).toBe(4000);
    const bad = parseEnv({ ...production, DATABASE_URL: "wss://db.example.org", DATABASE_TIMEOUT_MS: "5" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems.map((p) => p.split(":")[0])).toEqual(
      expect.arrayContaining(["DATABASE_URL", "DATABASE_TIMEOUT_MS"]),
    );
  });

  test("production refuses plain http and stand-in GitHub URLs", () => {
    const result = parseEnv({
      ...production,
      APP_URL: "http://roadies.example.org",
      GITHUB_OAUTH_URL: "http://127.0.0.1:9",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContain("APP_URL: must use https:// in production");
    expect(result.problems.some((p) => p.startsWith("GITHUB_OAUTH_URL"))).toBe(true);
  });

  test("demo mode needs nothing, listens on loopback and uses the stand-in", () => {
    const result = parseEnv({ NODE_ENV: "production", DEMO_MODE: "true", PORT: "4000" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.demo).toBe(true);
    expect(result.env.production).toBe(false);
    expect(result.env.host).toBe("127.0.0.1");
    expect(result.env.appUrl).toBe("http://127.0.0.1:4000");
    expect(result.env.github.oauthUrl).toBe("http://127.0.0.1:4000/_demo/github");
  });

  test("demo mode refuses to start with real credentials or a public address", () => {
    const result = parseEnv({
      DEMO_MODE: "true",
      GITHUB_CLIENT_ID: "Iv1.x",
      GITHUB_CLIENT_SECRET: "y",
      HOST: "0.0.0.0",
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      "GITHUB_CLIENT_ID: demo mode refuses to start when real credentials are configured",
      "GITHUB_CLIENT_SECRET: demo mode refuses to start when real credentials are configured",
      "HOST: demo mode listens on loopback only",
    ]);
  });
});
