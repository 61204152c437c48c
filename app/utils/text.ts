// Text hygiene at the boundary: characters no person types and no output format can carry.
// NUL truncates SQLite text, U+FFFE/U+FFFF and lone surrogates are not allowed in XML, and C0
// controls other than tab, newline and carriage return break feeds, calendars and terminals.

/**
 * C0 controls except tab (U+0009), newline (U+000A) and carriage return (U+000D); DEL; the
 * noncharacters U+FFFE and U+FFFF; and UTF-16 surrogates that are not part of a pair.
 */
const UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text without the characters above; carriage returns are kept only as part of CRLF. */
export function cleanText(value: string): string {
  return value.replace(UNSAFE, "").replace(/\r(?!\n)/g, "\n");
}

/** True when the text holds none of the characters cleanText removes. */
export function isCleanText(value: string): boolean {
  return cleanText(value) === value;
}
