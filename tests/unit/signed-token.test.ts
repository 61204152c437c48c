import { expect, test } from "vitest";
import { createSignedToken, verifySignedToken } from "#app/utils/signed-token.server.ts";

const now = Date.UTC(2026, 10, 24);

test("a token verifies for its purpose until it expires", () => {
  const token = createSignedToken({ purpose: "renew-call", subject: "42", expiresAt: now + 1000 });
  expect(verifySignedToken(token, "renew-call", now)).toBe("42");
  expect(verifySignedToken(token, "renew-call", now + 1000)).toBeNull();
  expect(verifySignedToken(token, "unsubscribe", now)).toBeNull();
});

test("a tampered token does not verify", () => {
  const token = createSignedToken({ purpose: "renew-call", subject: "42", expiresAt: now + 1000 });
  const [payload, mac] = token.split(".");
  const forged = Buffer.from(JSON.stringify(["renew-call", "43", now + 1000])).toString("base64url");
  expect(verifySignedToken(`${forged}.${mac}`, "renew-call", now)).toBeNull();
  expect(verifySignedToken(`${payload}.x${mac}`, "renew-call", now)).toBeNull();
  expect(verifySignedToken("nonsense", "renew-call", now)).toBeNull();
});
