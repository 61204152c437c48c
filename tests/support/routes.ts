// Calling route modules as Remix would: one site origin, one load context, and requests shaped as a
// browser sends them. Test files set APP_URL to APP before importing app code.
export const APP = "http://127.0.0.1:3999";
export const context = { cspNonce: "", requestId: "test" };

type Form = Record<string, string | string[]>;

/** A GET, or a form POST when `form` is given, to a path of the site. */
export function request(path: string, options: { cookie?: string | undefined; form?: Form } = {}) {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.Cookie = options.cookie;
  if (!options.form) return new Request(`${APP}${path}`, { headers });
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(options.form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  return new Request(`${APP}${path}`, { method: "POST", headers, body });
}

/** Runs a loader or action and returns what it returned or threw (Responses and data() alike). */
export async function run<T>(
  fn: () => Promise<T>,
): Promise<{ status: number; value: unknown; location: string | null }> {
  try {
    const value = await fn();
    if (value instanceof Response) return { status: value.status, value, location: value.headers.get("location") };
    if (value && typeof value === "object" && "init" in value && "data" in value) {
      const v = value as { data: unknown; init: { status?: number } | null };
      return { status: v.init?.status ?? 200, value: v.data, location: null };
    }
    return { status: 200, value, location: null };
  } catch (thrown) {
    if (thrown instanceof Response)
      return { status: thrown.status, value: thrown, location: thrown.headers.get("location") };
    throw thrown;
  }
}
