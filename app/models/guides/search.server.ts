// Full-text search over the guides (guides_fts: one row per section of each guide's current text,
// written with the revision by publishWrites). A hit names the section, so the result links to its
// anchor. The query syntax is the calls' (ftsQuery): every word, prefix-matched, no operators.
import { sql } from "drizzle-orm";
import { db, schema } from "#app/utils/db.server.ts";
import { ftsQuery } from "#app/models/calls/listing.server.ts";
import { guidePath } from "#app/models/guides/paths.ts";

export type GuideHit = {
  slug: string;
  guideTitle: string;
  /** The section's heading, or "" for the text before the first heading. */
  heading: string;
  href: string;
  /** The matching words marked with [[ ]] around them (the page turns them into <mark>). */
  snippet: string;
};

const g = schema.guides;

/** The best-matching sections (bm25, headings weigh more than text), at most `limit`. */
export async function searchGuides(q: string, limit = 20): Promise<GuideHit[]> {
  const match = ftsQuery(q);
  if (!match) return [];
  const rows = await db().all<{ slug: string; title: string; anchor: string; heading: string; snippet: string }>(sql`
    SELECT ${g.slug} AS slug, ${g.title} AS title, f.anchor AS anchor, f.heading AS heading,
      snippet(guides_fts, 3, '[[', ']]', '…', 24) AS snippet
    FROM guides_fts f JOIN ${g} ON ${g.id} = f.guide_id
    WHERE guides_fts MATCH ${match}
    ORDER BY bm25(guides_fts, 0.0, 0.0, 8.0, 1.0), ${g.position}
    LIMIT ${limit}`);
  return rows.map((r) => ({
    slug: r.slug,
    guideTitle: r.title,
    heading: r.heading,
    href: guidePath(r.slug, r.anchor || undefined),
    snippet: r.snippet,
  }));
}

/** Splits a snippet at its [[ ]] marks: odd parts are the matched words. */
export function snippetParts(snippet: string): { text: string; match: boolean }[] {
  return snippet
    .split(/\[\[|\]\]/)
    .map((text, i) => ({ text, match: i % 2 === 1 }))
    .filter((p) => p.text !== "");
}
