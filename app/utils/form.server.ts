// The one way actions read a submitted form: bounded, linear, and clean before any parser sees it.
// @conform-to/dom builds objects and arrays straight from field names: `a[999999999]` makes a
// billion-slot array (and zod then walks every slot), and N repeats of one name cost O(N²) through
// `prev.concat`. So field count, repeats, array indexes, nesting depth and name length are capped
// here, in one pass over the entries, before parseWithZod or a route looks at the form. Every name
// and value goes through cleanText (app/utils/text.ts). A form over a limit, or one that cannot be
// read, is refused with a 4xx Response carrying a short plain message: never a 500 or a stall.
import { cleanText } from "#app/utils/text.ts";

/** Limits on what an action accepts; well above any form of ours (the biggest has a few dozen fields). */
export const FORM_LIMITS = {
  /** Matches the server's own body limit (server.ts), for actions called without it (tests, jobs). */
  bodyBytes: 1024 * 1024,
  fields: 1_000,
  repeatsOfOneName: 200,
  /** The largest `[n]` in a name. */
  arrayIndex: 1_000,
  /** Segments in a name: `a.b[0].c` has four. */
  depth: 8,
  nameLength: 200,
  /** Nesting of Conform's `__intent__` and `__state__` JSON. */
  jsonDepth: 16,
} as const;

/** Conform's reserved fields (@conform-to/dom submission.mjs JSON.parses both without a guard). */
const INTENT = "__intent__";
const STATE = "__state__";

function refuse(status: 400 | 413 | 415, message: string): Response {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

/**
 * The form data of a POST, checked against FORM_LIMITS and cleaned. An empty body is an empty form.
 * @throws Response 400 (malformed or over a limit), 413 (body too large), 415 (not a form)
 */
export async function readFormData(request: Request): Promise<FormData> {
  const bytes = await readBody(request);
  if (bytes.length === 0) return new FormData();
  const contentType = request.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  let entries: Iterable<[string, FormDataEntryValue]>;
  if (mediaType === "application/x-www-form-urlencoded") {
    // Count separators first: URLSearchParams would otherwise build every pair of a hostile body.
    if (countOccurrences(bytes, Buffer.from("&")) >= FORM_LIMITS.fields) throw tooMany();
    entries = new URLSearchParams(new TextDecoder().decode(bytes));
  } else if (mediaType === "multipart/form-data") {
    const boundary = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    if (!boundary) throw refuse(400, "The form could not be read (multipart without a boundary).");
    const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
    if (countOccurrences(bytes, delimiter) > FORM_LIMITS.fields + 1) throw tooMany();
    try {
      entries = await new Response(Uint8Array.from(bytes), { headers: { "Content-Type": contentType } }).formData();
    } catch {
      throw refuse(400, "The form could not be read.");
    }
  } else {
    throw refuse(415, "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
  }
  const form = boundedForm(entries);
  checkConformFields(form);
  return form;
}

function tooMany() {
  return refuse(400, `The form has too many fields (at most ${FORM_LIMITS.fields}).`);
}

async function readBody(request: Request): Promise<Buffer> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      throw refuse(400, "The form could not be read.");
    }
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > FORM_LIMITS.bodyBytes) {
      await reader.cancel().catch(() => {});
      throw refuse(413, "Request body too large.");
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

function countOccurrences(haystack: Buffer, needle: Buffer): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length)) count++;
  return count;
}

/** One pass: each entry counted, each distinct name checked once, every string cleaned. */
function boundedForm(entries: Iterable<[string, FormDataEntryValue]>): FormData {
  const form = new FormData();
  const repeats = new Map<string, number>();
  let fields = 0;
  for (const [rawName, value] of entries) {
    // No form of ours has a file input: a file could also slip past the text checks below.
    if (typeof value !== "string") throw refuse(400, "This form does not accept files.");
    if (++fields > FORM_LIMITS.fields) throw tooMany();
    const name = cleanText(rawName);
    const seen = repeats.get(name) ?? 0;
    if (seen === 0) {
      const problem = nameProblem(name);
      if (problem) throw refuse(400, problem);
    } else if (seen >= FORM_LIMITS.repeatsOfOneName) {
      throw refuse(400, `A field is repeated too often (at most ${FORM_LIMITS.repeatsOfOneName} times).`);
    }
    repeats.set(name, seen + 1);
    form.append(name, cleanText(value));
  }
  return form;
}

/** Why a field name is refused, or null. Same tokens as Conform's parsePath, linear in the name. */
function nameProblem(name: string): string | null {
  if (name.length > FORM_LIMITS.nameLength) return "A field name is too long.";
  const segments = /([^.[\]]+)|\[(\d*)\]/g;
  let depth = 0;
  for (let match = segments.exec(name); match; match = segments.exec(name)) {
    if (++depth > FORM_LIMITS.depth) return "A field name is nested too deeply.";
    const index = match[2];
    if (index && (index.length > 6 || Number(index) > FORM_LIMITS.arrayIndex)) {
      return `A field name has too large an index (at most ${FORM_LIMITS.arrayIndex}).`;
    }
  }
  return null;
}

/** A path Conform's setPathValue takes without throwing (it throws on these outside its silent mode). */
function isConformPath(name: string): boolean {
  if (nameProblem(name)) return false;
  const segments = /([^.[\]]+)|\[(\d*)\]/g;
  let last = 0;
  for (let match = segments.exec(name); match; match = segments.exec(name)) {
    if (match.index !== last && !(match.index === last + 1 && name[last] === ".")) return false;
    if (match[1] === "__proto__" || match[1] === "constructor" || match[2] === "") return false;
    last = segments.lastIndex;
  }
  return last === name.length;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Conform reads `__state__` and `__intent__` as JSON and acts on the intent without its silent mode:
 * bad JSON, an unknown intent or a bad path in it would throw (a 500). Only what Conform's client
 * sends for our forms gets through: validate, update and reset, with a checked path. List intents
 * (insert, remove, reorder) are refused: no form of ours has a list, and they throw on a non-list.
 */
function checkConformFields(form: FormData) {
  const state = form.get(STATE);
  if (state !== null && state !== "") {
    const parsed = parseJsonBounded(state as string, { maxDepth: FORM_LIMITS.jsonDepth });
    if (!parsed.ok || !isPlainObject(parsed.value)) throw refuse(400, "The form's state is not valid.");
  }
  const intent = form.get(INTENT);
  if (intent === null || intent === "") return;
  const parsed = parseJsonBounded(intent as string, { maxDepth: FORM_LIMITS.jsonDepth });
  const control = parsed.ok ? parsed.value : undefined;
  const invalid = () => refuse(400, "The form's intent is not valid.");
  if (!isPlainObject(control) || !isPlainObject(control.payload)) throw invalid();
  if (control.type !== "validate" && control.type !== "update" && control.type !== "reset") throw invalid();
  const { name, index, value } = control.payload;
  if (name !== undefined && (typeof name !== "string" || (name !== "" && !isConformPath(name)))) throw invalid();
  if (
    index !== undefined &&
    !(Number.isInteger(index) && (index as number) >= 0 && (index as number) <= FORM_LIMITS.arrayIndex)
  ) {
    throw invalid();
  }
  // An update without a path replaces the whole payload: only with an object, as a form's value is.
  if (control.type === "update" && !name && index === undefined && value !== undefined && !isPlainObject(value)) {
    throw invalid();
  }
}

export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * JSON.parse with a nesting limit, checked in one linear pass before parsing (deeply nested input is
 * refused rather than built). Never throws.
 */
export function parseJsonBounded(text: string, { maxDepth = 32 }: { maxDepth?: number } = {}): JsonResult {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) return { ok: false, message: `nested deeper than ${maxDepth} levels` };
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: "not valid JSON" };
  }
}
