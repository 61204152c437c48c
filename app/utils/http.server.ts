// Route conventions for refusing a request: throw a Response whose text body the root error
// boundary (app/root.tsx) shows to the person for 400/409/413/415/429, or whose status picks a page.
//
//   invariantResponse(user.isAdmin, "Only the working group can do that.", { status: 403 });
//   const id = parseId(params.id);           // 404 unless a positive integer
//   if (!call) throw notFound();

const TEXT = { "Content-Type": "text/plain; charset=utf-8" };

/**
 * Throws a Response with `message` (400 unless `init` says otherwise) when `condition` is falsy.
 * The message is plain text meant for the person: say what was wrong and what to do.
 */
export function invariantResponse(
  condition: unknown,
  message: string | (() => string),
  init?: ResponseInit,
): asserts condition {
  if (condition) return;
  const headers = new Headers(init?.headers);
  if (!headers.has("Content-Type")) headers.set("Content-Type", TEXT["Content-Type"]);
  throw new Response(typeof message === "function" ? message() : message, { status: 400, ...init, headers });
}

/** A 404 to throw: `throw notFound()`. Pages that must not reveal whether a thing exists use it for "not yours" too. */
export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404, headers: TEXT });
}

/**
 * The id in a route param or a form field (`form.get("id")`): a positive safe integer written in plain digits without
 * a leading zero, so "abc", "1.5", "-1", "007" or 40 digits are a 404 rather than a 500 or a
 * second URL for the same thing.
 * @throws Response 404 for anything else
 */
export function parseId(value: unknown): number {
  if (typeof value !== "string" || !/^[1-9]\d{0,15}$/.test(value)) throw notFound();
  const id = Number(value);
  if (!Number.isSafeInteger(id)) throw notFound();
  return id;
}
