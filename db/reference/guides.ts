// The project's own guides, db/reference/guides/*.md: a front matter (slug, title, summary,
// position, reviewed) and the Markdown text. They become each guide's first revision at start-up;
// from then on the working group keeps the text current on the site (docs/guides.md).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export type ReferenceGuide = {
  slug: string;
  title: string;
  summary: string;
  position: number;
  /** YYYY-MM-DD: when the project last checked the text. */
  reviewed: string;
  body: string;
};

/** The folder of the .md files, beside this module in the source tree, or under db/ from the app's root. */
function guidesFolder(): string {
  const candidates = [resolve("db/reference/guides")];
  try {
    candidates.unshift(fileURLToPath(new URL("./guides/", import.meta.url)));
  } catch {
    // Bundled: import.meta.url is not this file.
  }
  const found = candidates.find((dir) => existsSync(join(dir, "best-practices.md")));
  if (!found) throw new Error(`db/reference/guides not found (looked in ${candidates.join(", ")})`);
  return found;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Paths under /guides that are pages, not guides (/guides/suggestions). */
const RESERVED = new Set(["suggestions"]);

/** Parses one file; a bad edit fails the start, loudly. */
export function parseReferenceGuide(file: string, text: string): ReferenceGuide {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n?/g, "\n"));
  if (!match) throw new Error(`${file}: no front matter (--- … ---)`);
  const fields = new Map<string, string>();
  for (const line of match[1]!.split("\n")) {
    const kv = /^([a-z]+):\s*(.*)$/.exec(line.trim());
    if (kv) fields.set(kv[1]!, kv[2]!.trim());
  }
  const need = (key: string) => {
    const value = fields.get(key);
    if (!value) throw new Error(`${file}: front matter needs ${key}`);
    return value;
  };
  const slug = need("slug");
  if (!SLUG.test(slug)) throw new Error(`${file}: slug ${JSON.stringify(slug)} is not lower-case words and hyphens`);
  if (RESERVED.has(slug)) throw new Error(`${file}: slug ${JSON.stringify(slug)} is a page of its own under /guides`);
  const reviewed = need("reviewed");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(reviewed)) throw new Error(`${file}: reviewed is not YYYY-MM-DD`);
  const position = Number(need("position"));
  if (!Number.isInteger(position)) throw new Error(`${file}: position is not a whole number`);
  const body = `${match[2]!.trim()}\n`;
  return { slug, title: need("title"), summary: need("summary"), position, reviewed, body };
}

/** Every reference guide, by position. */
export function referenceGuides(): ReferenceGuide[] {
  const dir = guidesFolder();
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .map((name) => parseReferenceGuide(name, readFileSync(join(dir, name), "utf8")))
    .sort((a, b) => a.position - b.position);
}
