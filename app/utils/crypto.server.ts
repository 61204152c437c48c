// Secrets at rest and signed values: AES-256-GCM for stored tokens, HMAC for signed values.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "#app/utils/env.server.ts";

/** Encrypts a secret (such as a GitHub access token) for storage: "v1.<iv>.<tag>.<ciphertext>". */
export function encryptSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", env().tokenEncryptionKey, iv);
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(
    ".",
  );
}

/** Decrypts encryptSecret's output; null when it was tampered with or the key changed. */
export function decryptSecret(stored: string): string | null {
  const [version, iv, tag, body] = stored.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", env().tokenEncryptionKey, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    return null;
  }
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Constant-time comparison of two strings (false when lengths differ). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export function randomToken(bytes = 20): string {
  return randomBytes(bytes).toString("base64url");
}

/** Signs a value with SESSION_SECRET: "<value>.<mac>". */
export function sign(value: string): string {
  const mac = createHmac("sha256", env().sessionSecret).update(value).digest("base64url");
  return `${value}.${mac}`;
}

/** Returns the value if the signature is ours, else null. */
export function unsign(signed: string): string | null {
  const at = signed.lastIndexOf(".");
  if (at < 1) return null;
  const value = signed.slice(0, at);
  return safeEqual(sign(value), signed) ? value : null;
}
