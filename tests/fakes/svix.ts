// Signs a webhook the way Resend (through Svix) does, written from Svix's documentation with
// node:crypto and independent of the app's verifier (the `standardwebhooks` package), so a test
// that passes proves the two agree rather than that a function agrees with itself:
// HMAC-SHA256 keyed with the base64 part of the "whsec_…" secret, over
// "<svix-id>.<svix-timestamp>.<raw body>", base64, sent in `svix-signature` as "v1,<signature>".
import { createHmac } from "node:crypto";

export function svixSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice("whsec_".length) : secret, "base64");
  return createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
}
