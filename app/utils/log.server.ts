// Structured logs by pino: one JSON object per line ({"level","time","msg",…}), on stdout (errors on
// stderr), or in LOG_FILE when it is set (the test run's logs go to one file that a check greps).
// Cookies, tokens, secrets, passwords and email addresses are kept out by configuration, not by
// convention: pino's `redact` removes the fields that hold them, and a last line of defence masks
// anything that looks like an email address, a bearer or session token or a signed link token in
// every string of every line (message, fields, errors and their stacks). Log ids and logins instead.
// Each request gets an id (taken from a safe Fly-Request-Id or X-Request-Id, else generated), sent
// back as X-Request-Id and written on every line logged while the request is handled.
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import pino, { type DestinationStream, type Level, type LevelWithSilent, type Logger } from "pino";
import { currentRequestId } from "#app/utils/request-context.server.ts";

type Fields = Record<string, unknown>;

/** Field names whose values never reach a log line, at the top level and two levels down. */
const SECRET_FIELDS = [
  "cookie",
  "cookies",
  "set-cookie",
  "authorization",
  "proxy-authorization",
  "x-internal-token",
  "token",
  "tokens",
  "accessToken",
  "access_token",
  "refreshToken",
  "refresh_token",
  "idToken",
  "id_token",
  "apiKey",
  "api_key",
  "secret",
  "clientSecret",
  "client_secret",
  "sessionSecret",
  "password",
  "email",
  "emails",
  "emailAddress",
];

const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `["${name}"]`);
export const REDACT_PATHS = SECRET_FIELDS.flatMap((name) => [
  key(name).replace(/^\./, ""),
  `*${key(name)}`,
  `*.*${key(name)}`,
]);

/** What the masks below put in place of what they hide. */
export const MASK = "[redacted]";

// Order matters: whole header lines first, then tokens inside any text.
const MASKS: [RegExp, string][] = [
  [/\b((?:set-)?cookie|(?:proxy-)?authorization)(["']?\s*[:=]\s*["']?)[^\n"']*/gi, `$1$2${MASK}`],
  [/\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${MASK}`],
  [/\b([\w-]*(?:session|token|secret|password|passwd|sid|csrf|api_?key)[\w-]*)=[^\s;&"',]+/gi, `$1=${MASK}`],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{16,}|github_pat_\w{16,}|re_\w{16,}|whsec_[A-Za-z0-9+/=]{16,}|sk_\w{16,})/g, MASK],
  [/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}/g, MASK],
  // Our signed link tokens (app/utils/signed-token.server.ts): base64url payload "." HMAC-SHA256.
  [/[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g, MASK],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g, MASK],
];

/** Any string with what looks like an email address, a cookie, a bearer/session/signed token masked. */
export function maskSecrets(text: string): string {
  let masked = text;
  for (const [pattern, replacement] of MASKS) masked = masked.replace(pattern, replacement);
  return masked;
}

const SECRET_FIELD_NAMES = new Set(SECRET_FIELDS.map((name) => name.toLowerCase()));

function maskDeep(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === "string") return maskSecrets(value);
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value) || depth > 8) return "[…]";
  seen.add(value);
  if (value instanceof Error) return maskDeep(pino.stdSerializers.err(value), seen, depth + 1);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, seen, depth + 1));
  const json = (value as { toJSON?: () => unknown }).toJSON;
  if (typeof json === "function") return maskDeep(json.call(value), seen, depth + 1);
  const out: Fields = {};
  for (const [name, item] of Object.entries(value)) {
    // The redact paths reach two levels down; a secret field deeper still (or in a list) is masked here.
    out[name] = SECRET_FIELD_NAMES.has(name.toLowerCase()) ? MASK : maskDeep(item, seen, depth + 1);
  }
  return out;
}

const LEVELS = new Set<LevelWithSilent>(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

/** LOG_LEVEL: `info` (the default: every request), `debug`, `warn`, `error` or `silent`. `npm run demo` sets `warn`. */
export function logLevel(value = process.env.LOG_LEVEL): LevelWithSilent {
  return value && LEVELS.has(value as LevelWithSilent) ? (value as LevelWithSilent) : "info";
}

export { withRequestId } from "#app/utils/request-context.server.ts";

/** A logger with the app's format, levels and redaction, writing to `destination`. */
export function createLogger(destination: DestinationStream, level: LevelWithSilent = logLevel()): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: MASK },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => maskDeep(bindings) as Fields,
        log: (object) => maskDeep(object) as Fields,
      },
      serializers: { err: (error: unknown) => maskDeep(error) },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === "string" ? maskSecrets(arg) : arg));
          return method.apply(this, masked as Parameters<typeof method>);
        },
      },
      // Lines written while a request is handled carry its id (the request logger's own lines bind it).
      mixin(_object, _level, logger) {
        const requestId = currentRequestId();
        if (!requestId || "requestId" in logger.bindings()) return {};
        return { requestId };
      },
    },
    destination,
  );
}

function defaultDestination(): DestinationStream {
  const file = process.env.LOG_FILE;
  if (file) return pino.destination({ dest: file, append: true, mkdir: true, sync: true });
  return pino.multistream(
    [
      { level: "trace", stream: pino.destination({ dest: 1, sync: true }) },
      { level: "error", stream: pino.destination({ dest: 2, sync: true }) },
    ],
    { dedupe: true },
  );
}

let app: { logger: Logger; settings: string } | undefined;

/** The app's one logger, made on first use (and again if LOG_LEVEL or LOG_FILE changed since). */
export function logger(): Logger {
  const settings = `${logLevel()}|${process.env.LOG_FILE ?? ""}`;
  if (app?.settings !== settings) app = { logger: createLogger(defaultDestination()), settings };
  return app.logger;
}

function write(level: Level, msg: string, fields?: Fields) {
  const target = logger();
  if (!target.isLevelEnabled(level)) return;
  if (fields) target[level](fields, msg);
  else target[level](msg);
}

export const log = {
  debug: (msg: string, fields?: Fields) => write("debug", msg, fields),
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};

/** An error as loggable fields (message and stack, masked), for the log only, never for a page. */
export function errorFields(error: unknown): Fields {
  return { err: error instanceof Error ? error : { message: String(error) } };
}

/** A request id sent by Fly's proxy or a client, if it is plain: letters, digits and `._:-`, 8 to 64 long. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

function pathOnly(url: string | undefined): string {
  const path = (url ?? "/").split("?")[0]!.split("#")[0]!;
  return maskSecrets(path);
}

type Request = IncomingMessage & { originalUrl?: string };

declare module "http" {
  interface IncomingMessage {
    /** This request's id, set by the request logger (and sent back as X-Request-Id). */
    id?: string;
  }
}

/** The request logger as middleware: `(req, res, next)`, setting `req.id` and X-Request-Id. */
export type RequestLogger = ((req: Request, res: ServerResponse, next: () => void) => void) & {
  /** The same without the header, for a caller that sends X-Request-Id itself: returns the id. */
  start: (req: Request, res: ServerResponse) => string;
};

/**
 * This request's id: a plain one sent by Fly's proxy or the client, unless it looks like something
 * the log masks would hide (it is echoed and written on every line), else a new one.
 */
function requestIdOf(req: Request): string {
  for (const value of [req.headers["fly-request-id"], req.headers["x-request-id"]]) {
    if (typeof value === "string" && SAFE_REQUEST_ID.test(value) && maskSecrets(value) === value) return value;
  }
  return randomUUID();
}

/**
 * A logger writing `base`'s format to `base`'s destination without its redaction and masks, for
 * request lines only: their fields are fixed and each value is safe where it is made (the id checked
 * above, the path masked, the method one Node's parser accepted, numbers), so walking them through
 * the redact paths and masks found nothing, and was most of the CPU of a cached page at `info`.
 */
function plainSibling(base: Logger): Logger {
  return pino(
    {
      level: "trace",
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    (base as unknown as Record<symbol, DestinationStream>)[pino.symbols.streamSym],
  );
}

/**
 * One line per request ("request": method, path without its query, status, duration in ms, request
 * id), at `warn` for 4xx and `error` for 5xx ("request failed", with the error); a healthy /healthz
 * is not logged. Use it before the routes; it sets X-Request-Id, and the caller runs the rest of the
 * request with its id (withRequestId).
 * The line is written once the response is done, at `base`'s level: pino-http made two child
 * loggers per request, each running the redaction and masks on its bindings, whatever the level
 * (about 9% of the CPU of a cached page; docs/performance.md). A failed request's line, which holds
 * an error, goes through `base` and its masks; the others through its plain sibling (above).
 */
export function requestLogger(base: Logger = logger()): RequestLogger {
  const plain = plainSibling(base);
  const start = (req: Request, res: ServerResponse): string => {
    const startedAt = Date.now();
    const requestId = requestIdOf(req);
    req.id = requestId;
    const done = (error?: unknown) => {
      res.off("close", done).off("finish", done).off("error", done);
      const status = res.statusCode;
      const failed = error !== undefined || status >= 500;
      const level: Level = failed ? "error" : status >= 400 ? "warn" : "info";
      if (!base.isLevelEnabled(level)) return;
      const path = pathOnly(req.originalUrl ?? req.url);
      if (path === "/healthz" && status === 200) return;
      const line = { requestId, method: req.method, path, status, durationMs: Date.now() - startedAt };
      if (failed)
        base[level]({ ...line, err: error ?? new Error(`failed with status code ${status}`) }, "request failed");
      else plain[level](line, "request");
    };
    res.on("close", done).on("finish", done).on("error", done);
    return requestId;
  };
  const middleware = (req: Request, res: ServerResponse, next: () => void) => {
    res.setHeader("X-Request-Id", start(req, res));
    next();
  };
  return Object.assign(middleware, { start });
}
