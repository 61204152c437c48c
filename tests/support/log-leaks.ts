// What must never be found in a log line: email addresses, cookies, session or bearer tokens, GitHub
// and webhook secrets, our signed link tokens, and the values of the secrets in the environment.
// Written apart from the masks in app/utils/log.server.ts on purpose: a second, independent reading.
const LEAKS: [string, RegExp][] = [
  ["an email address", /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/],
  ["a session cookie", /roadies_session=(?!\[redacted\])/],
  ["a cookie header", /"(?:set-)?cookies?":\s*"(?!\[redacted\])/i],
  ["an authorization header", /"(?:proxy-)?authorization":\s*"(?!\[redacted\])/i],
  ["a bearer token", /\bBearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{6,}/i],
  ["a GitHub token", /\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{16,})/],
  ["a webhook or API secret", /\b(?:whsec_[A-Za-z0-9+/=]{16,}|re_[A-Za-z0-9]{16,})/],
  ["a signed link token", /[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/],
  ["a token field", /"(?:token|accessToken|access_token|refresh_token|secret|password)":\s*"(?!\[redacted\])/i],
];

/** Values of this environment's secrets (SESSION_SECRET, *_TOKEN, *_KEY…), at least 8 characters long. */
export function environmentSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.entries(env)
    .filter(([name, value]) => /SECRET|TOKEN|PASSWORD|API_KEY/i.test(name) && (value?.length ?? 0) >= 8)
    .map(([, value]) => value!);
}

/** Each line of `text` that holds something that must not be logged, with what it holds. */
export function findLogLeaks(text: string, secrets: string[] = environmentSecrets()): string[] {
  const found: string[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    const what = LEAKS.filter(([, pattern]) => pattern.test(line)).map(([name]) => name);
    if (secrets.some((secret) => line.includes(secret))) what.push("a secret from the environment");
    if (what.length) found.push(`${what.join(", ")}: ${line.slice(0, 400)}`);
  }
  return found;
}
