// A local stand-in for the Resend API (https://resend.com/docs/api-reference), served over real HTTP
// so the real SDK can talk to it. Follows the documented status codes, error bodies, idempotency
// and rate-limit headers. Also runnable on its own: `tsx tests/fakes/resend.ts --port 4010`.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";

export type SentEmail = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string[];
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string>;
  tags: { name: string; value: string }[];
  /** The Idempotency-Key of the request that created it, if any. */
  idempotencyKey: string | null;
  /** True when it came through POST /emails/batch. */
  batch: boolean;
  createdAt: string;
};

/** Every request the stand-in answered, so tests can count what reached "Resend". */
export type RecordedRequest = {
  method: string;
  path: string;
  status: number;
  idempotencyKey: string | null;
  /** Milliseconds since the epoch when the request arrived. */
  at: number;
};

export type ResendStandInOptions = {
  /** Requests per second before 429s; Resend's documented default is 2. `null` for no limit. */
  rateLimitPerSecond?: number | null;
  /** The only API key accepted (others get 403). Without it, any key starting with `re_` works. */
  apiKey?: string;
  port?: number;
  host?: string;
};

export type ResendStandIn = {
  url: string;
  sent(): SentEmail[];
  requests(): RecordedRequest[];
  reset(): void;
  setRateLimit(perSecond: number | null): void;
  failNext(status: number, times?: number): void;
  close(): Promise<void>;
};

const MAX_BATCH = 100;
const MAX_RECIPIENTS = 50;
const MAX_BODY_BYTES = 40 * 1024 * 1024;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

const ADDRESS = /^[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+$/;
const NAMED_ADDRESS = /^[^<>]*<([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>$/;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const validation = (message: string) => new ApiError(422, "validation_error", message);

function isAddress(value: string, allowName: boolean): boolean {
  const v = value.trim();
  return ADDRESS.test(v) || (allowName && NAMED_ADDRESS.test(v));
}

function addressList(value: unknown, field: string, required: boolean): string[] {
  if (value === undefined || value === null) {
    if (required) throw validation(`Missing \`${field}\` field.`);
    return [];
  }
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
    throw validation(`Invalid \`${field}\` field. It must be a string or an array of strings.`);
  }
  if (required && list.length === 0) throw validation(`Missing \`${field}\` field.`);
  if (list.length > MAX_RECIPIENTS) {
    throw validation(`Invalid \`${field}\` field. There can be at most ${MAX_RECIPIENTS} recipients.`);
  }
  for (const address of list as string[]) {
    if (!isAddress(address, true)) {
      throw validation(
        `Invalid \`${field}\` field. The email address needs to follow the \`email@example.com\` or \`Name <email@example.com>\` format.`,
      );
    }
  }
  return list as string[];
}

type ValidEmail = Omit<SentEmail, "id" | "idempotencyKey" | "batch" | "createdAt">;

/** Checks one email object as Resend does; throws a 422 ApiError naming the wrong field. */
function validateEmail(input: unknown, inBatch: boolean): ValidEmail {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw validation("The request body must be a JSON object.");
  }
  const e = input as Record<string, unknown>;
  if (e.from === undefined || e.from === null || e.from === "") throw validation("Missing `from` field.");
  if (typeof e.from !== "string" || !isAddress(e.from, true)) {
    throw validation(
      "Invalid `from` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.",
    );
  }
  const to = addressList(e.to, "to", true);
  const cc = addressList(e.cc, "cc", false);
  const bcc = addressList(e.bcc, "bcc", false);
  const replyTo = addressList(e.reply_to, "reply_to", false);
  if (typeof e.subject !== "string" || e.subject.trim() === "") throw validation("Missing `subject` field.");
  const html = typeof e.html === "string" && e.html !== "" ? e.html : null;
  const text = typeof e.text === "string" && e.text !== "" ? e.text : null;
  if (html === null && text === null) {
    throw validation("Missing `html` or `text` field. At least one of them is required.");
  }
  if (inBatch && e.attachments !== undefined) {
    throw validation("Attachments are not supported in batch emails.");
  }
  if (inBatch && e.scheduled_at !== undefined) {
    throw validation("`scheduled_at` is not supported in batch emails.");
  }
  const headers: Record<string, string> = {};
  if (e.headers !== undefined) {
    if (typeof e.headers !== "object" || e.headers === null || Array.isArray(e.headers)) {
      throw validation("Invalid `headers` field. It must be an object of strings.");
    }
    for (const [k, v] of Object.entries(e.headers)) {
      if (typeof v !== "string") throw validation("Invalid `headers` field. It must be an object of strings.");
      headers[k] = v;
    }
  }
  const tags: { name: string; value: string }[] = [];
  if (e.tags !== undefined) {
    if (!Array.isArray(e.tags)) throw validation("Invalid `tags` field. It must be an array.");
    for (const tag of e.tags as unknown[]) {
      const t = tag as { name?: unknown; value?: unknown } | null;
      const ok = (s: unknown) => typeof s === "string" && /^[A-Za-z0-9_-]{1,256}$/.test(s);
      if (!t || !ok(t.name) || !ok(t.value)) {
        throw validation(
          "Invalid `tags` field. Tag names and values can only contain ASCII letters, numbers, underscores or dashes.",
        );
      }
      tags.push({ name: t.name as string, value: t.value as string });
    }
  }
  return { from: e.from, to, cc, bcc, replyTo, subject: e.subject, html, text, headers, tags };
}

/** JSON with sorted keys, so two bodies that mean the same compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, "validation_error", "The request body is too large.");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

type StoredResponse = { status: number; body: unknown };

export async function startResendStandIn(options: ResendStandInOptions = {}): Promise<ResendStandIn> {
  let emails: SentEmail[] = [];
  let requests: RecordedRequest[] = [];
  let rateLimit: number | null = options.rateLimitPerSecond === undefined ? 2 : options.rateLimitPerSecond;
  let windowStart = 0;
  let windowCount = 0;
  let failures: number[] = [];
  const idempotency = new Map<string, { fingerprint: string; response: StoredResponse; expiresAt: number }>();
  const inFlight = new Set<string>();

  function reset() {
    emails = [];
    requests = [];
    windowStart = 0;
    windowCount = 0;
    failures = [];
    idempotency.clear();
  }

  /** Counts this request in the current one-second window; returns the rate-limit headers. */
  function countRequest(now: number): { headers: Record<string, string>; limited: boolean } {
    if (rateLimit === null) return { headers: {}, limited: false };
    // A one-second window opened by the first request after the previous one closed.
    if (now >= windowStart + 1000) {
      windowStart = now;
      windowCount = 0;
    }
    windowCount += 1;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + 1000 - now) / 1000));
    const headers: Record<string, string> = {
      "ratelimit-limit": String(rateLimit),
      "ratelimit-remaining": String(Math.max(0, rateLimit - windowCount)),
      "ratelimit-reset": String(resetSeconds),
    };
    const limited = windowCount > rateLimit;
    if (limited) headers["retry-after"] = String(resetSeconds);
    return { headers, limited };
  }

  function checkAuth(req: IncomingMessage) {
    const header = req.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new ApiError(401, "missing_api_key", "Missing API key in the authorization header.");
    const key = match[1] ?? "";
    const valid = options.apiKey ? key === options.apiKey : key.startsWith("re_");
    if (!valid) throw new ApiError(403, "invalid_api_key", "API key is invalid.");
  }

  function simulatedFailure(): ApiError | null {
    const status = failures.shift();
    if (status === undefined) return null;
    if (status === 429) {
      return new ApiError(
        429,
        "rate_limit_exceeded",
        "Too many requests. Please limit the number of requests per second.",
        { "retry-after": "1" },
      );
    }
    if (status >= 500) return new ApiError(status, "internal_server_error", "An unexpected error occurred.");
    const codes: Record<number, string> = {
      400: "invalid_parameter",
      401: "missing_api_key",
      403: "invalid_api_key",
      404: "not_found",
      409: "invalid_idempotent_request",
      422: "validation_error",
    };
    return new ApiError(status, codes[status] ?? "application_error", `Simulated ${status} response.`);
  }

  function record(valid: ValidEmail, idempotencyKey: string | null, batch: boolean): SentEmail {
    const email: SentEmail = {
      ...valid,
      id: randomUUID(),
      idempotencyKey,
      batch,
      createdAt: new Date().toISOString(),
    };
    emails.push(email);
    return email;
  }

  function sendOne(body: unknown, key: string | null): StoredResponse {
    const email = record(validateEmail(body, false), key, false);
    return { status: 200, body: { id: email.id } };
  }

  function sendBatch(body: unknown, key: string | null, mode: string): StoredResponse {
    if (!Array.isArray(body)) throw validation("The request body must be an array of emails.");
    if (body.length === 0) throw validation("The batch must contain at least 1 email.");
    if (body.length > MAX_BATCH) {
      throw validation(`The batch must contain at most ${MAX_BATCH} emails; it contains ${body.length}.`);
    }
    if (mode === "permissive") {
      const errors: { index: number; message: string }[] = [];
      const valid: ValidEmail[] = [];
      body.forEach((item, index) => {
        try {
          valid.push(validateEmail(item, true));
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          errors.push({ index, message: error.message });
        }
      });
      const data = valid.map((v) => ({ id: record(v, key, true).id }));
      return { status: 200, body: { data, errors } };
    }
    // Strict (the default): one invalid email fails the whole batch, naming its position.
    const valid = body.map((item, index) => {
      try {
        return validateEmail(item, true);
      } catch (error) {
        if (error instanceof ApiError) throw validation(`emails[${index}]: ${error.message}`);
        throw error;
      }
    });
    return { status: 200, body: { data: valid.map((v) => ({ id: record(v, key, true).id })) } };
  }

  async function handleApi(req: IncomingMessage, path: string): Promise<StoredResponse> {
    checkAuth(req);
    const simulated = simulatedFailure();
    if (simulated) throw simulated;

    if (req.method === "GET" && path.startsWith("/emails/")) {
      const id = decodeURIComponent(path.slice("/emails/".length));
      const email = emails.find((e) => e.id === id);
      if (!email) throw new ApiError(404, "not_found", "Email not found.");
      return {
        status: 200,
        body: {
          object: "email",
          id: email.id,
          from: email.from,
          to: email.to,
          cc: email.cc,
          bcc: email.bcc,
          reply_to: email.replyTo,
          subject: email.subject,
          html: email.html,
          text: email.text,
          created_at: email.createdAt,
          last_event: "delivered",
        },
      };
    }
    const isSend = path === "/emails" || path === "/emails/batch";
    if (!isSend) throw new ApiError(404, "not_found", "The requested endpoint does not exist.");
    if (req.method !== "POST")
      throw new ApiError(405, "method_not_allowed", "Method is not allowed for the requested path.");

    const raw = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw validation("The request body is not valid JSON.");
    }
    const key = header(req, "idempotency-key");
    const mode = header(req, "x-batch-validation") ?? "strict";
    const run = () => (path === "/emails" ? sendOne(body, key) : sendBatch(body, key, mode));
    if (key === null) return run();

    if (key.length < 1 || key.length > 256) {
      throw new ApiError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }
    const fingerprint = `${path} ${mode} ${canonical(body)}`;
    const now = Date.now();
    const stored = idempotency.get(key);
    if (stored && stored.expiresAt > now) {
      if (stored.fingerprint !== fingerprint) {
        throw new ApiError(
          409,
          "invalid_idempotent_request",
          "Same idempotency key used with a different request payload. Change your idempotency key or payload.",
        );
      }
      return stored.response;
    }
    if (inFlight.has(key)) {
      throw new ApiError(
        409,
        "concurrent_idempotent_requests",
        "Same idempotency key used while original request is still in progress. Try the request again later.",
      );
    }
    inFlight.add(key);
    try {
      const response = run();
      // Only successes are remembered: a request that failed may be retried with the same key.
      idempotency.set(key, { fingerprint, response, expiresAt: now + IDEMPOTENCY_TTL_MS });
      return response;
    } finally {
      inFlight.delete(key);
    }
  }

  async function handleTest(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (req.method === "GET" && path === "/_test/emails") {
      sendJson(res, 200, emails);
      return true;
    }
    if (req.method === "GET" && path === "/_test/requests") {
      sendJson(res, 200, requests);
      return true;
    }
    if (req.method === "POST" && path === "/_test/reset") {
      reset();
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === "POST" && path === "/_test/fail-next") {
      const body = JSON.parse((await readBody(req)) || "{}") as { status?: number; times?: number };
      failNext(Number(body.status ?? 500), Number(body.times ?? 1));
      sendJson(res, 200, { ok: true });
      return true;
    }
    if (req.method === "POST" && path === "/_test/rate-limit") {
      const body = JSON.parse((await readBody(req)) || "{}") as { perSecond?: number | null };
      rateLimit = body.perSecond ?? null;
      sendJson(res, 200, { ok: true });
      return true;
    }
    return false;
  }

  function failNext(status: number, times = 1) {
    for (let i = 0; i < times; i++) failures.push(status);
  }

  const server = createServer((req, res) => {
    const now = Date.now();
    const path = new URL(req.url ?? "/", "http://stand-in").pathname.replace(/\/+$/, "") || "/";
    const key = header(req, "idempotency-key");
    void (async () => {
      if (path.startsWith("/_test/")) {
        if (!(await handleTest(req, res, path))) sendJson(res, 404, { error: "unknown test endpoint" });
        return;
      }
      const { headers: limitHeaders, limited } = countRequest(now);
      let status: number;
      try {
        if (limited) {
          throw new ApiError(
            429,
            "rate_limit_exceeded",
            "Too many requests. Please limit the number of requests per second. Or contact support to increase rate limit.",
          );
        }
        const response = await handleApi(req, path);
        status = response.status;
        sendJson(res, status, response.body, limitHeaders);
      } catch (error) {
        if (!(error instanceof ApiError)) {
          status = 500;
          sendJson(res, 500, { statusCode: 500, name: "internal_server_error", message: String(error) }, limitHeaders);
        } else {
          status = error.status;
          sendJson(
            res,
            error.status,
            { statusCode: error.status, name: error.code, message: error.message },
            { ...limitHeaders, ...error.headers },
          );
        }
      }
      requests.push({ method: req.method ?? "GET", path, status, idempotencyKey: key, at: now });
    })().catch((error: unknown) => {
      if (!res.headersSent)
        sendJson(res, 500, { statusCode: 500, name: "internal_server_error", message: String(error) });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;

  return {
    url,
    sent: () => emails.map((e) => ({ ...e })),
    requests: () => requests.map((r) => ({ ...r })),
    reset,
    setRateLimit: (perSecond) => {
      rateLimit = perSecond;
    },
    failNext,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const inline = args.find((a) => a.startsWith(`${name}=`));
  return inline?.slice(name.length + 1);
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (invokedDirectly) {
  const args = process.argv.slice(2);
  const rate = flag(args, "--rate-limit");
  const standIn = await startResendStandIn({
    port: Number(flag(args, "--port") ?? 0),
    host: flag(args, "--host") ?? "127.0.0.1",
    apiKey: flag(args, "--api-key"),
    rateLimitPerSecond: rate === undefined ? undefined : rate === "none" ? null : Number(rate),
  });
  process.stdout.write(`Resend stand-in listening on ${standIn.url}\n`);
  const stop = () => {
    void standIn.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
