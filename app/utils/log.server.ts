// Structured logs: one JSON object per line on stdout. Never pass cookies, tokens or email
// addresses here; log ids and logins instead.
type Fields = Record<string, unknown>;
type Level = "info" | "warn" | "error";

const RANK: Record<Level | "silent", number> = { info: 0, warn: 1, error: 2, silent: 3 };

/** LOG_LEVEL: `info` (the default: every line), `warn`, `error` or `silent`. `npm run demo` sets `warn`. */
function threshold(): number {
  const level = process.env.LOG_LEVEL as keyof typeof RANK | undefined;
  return level && level in RANK ? RANK[level] : RANK.info;
}

function write(level: Level, msg: string, fields: Fields = {}) {
  if (RANK[level] < threshold()) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields });
  if (level === "error") process.stderr.write(line + "\n");
  else process.stdout.write(line + "\n");
}

export const log = {
  info: (msg: string, fields?: Fields) => write("info", msg, fields),
  warn: (msg: string, fields?: Fields) => write("warn", msg, fields),
  error: (msg: string, fields?: Fields) => write("error", msg, fields),
};

/** An error as loggable fields: the message and stack, for the log only, never for a page. */
export function errorFields(error: unknown): Fields {
  if (error instanceof Error) return { error: error.message, stack: error.stack };
  return { error: String(error) };
}
