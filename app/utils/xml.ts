// The one XML text escaper for every feed (Atom). Stored text can come from anywhere (forms, syncs,
// old rows), so the characters XML 1.0 forbids are removed here, at the last step before output.
import { cleanText } from "#app/utils/text.ts";

const ENTITIES: Record<string, string> = {
  "<": "&lt;",
  ">": "&gt;",
  "&": "&amp;",
  '"': "&quot;",
  "'": "&apos;",
  // As references, parsers keep them as written: a literal CR would be normalised away, and
  // tab/newline inside an attribute would become spaces.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** Text safe for XML 1.0 element content and quoted attribute values. */
export function escapeXml(text: string): string {
  return cleanText(text).replace(/[<>&"'\t\n\r]/g, (ch) => ENTITIES[ch]!);
}
