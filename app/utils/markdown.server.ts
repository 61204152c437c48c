// Markdown written by people, rendered on the server: raw HTML is shown as text, only http(s)
// and mailto links survive, and every link is marked as user content.
import MarkdownIt from "markdown-it";

const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

const SAFE_LINK = /^(https?:|mailto:|\/(?!\/)|#)/i;
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, i, options, _env, self) => self.renderToken(tokens, i, options));
md.renderer.rules.link_open = (tokens, i, options, env, self) => {
  tokens[i]!.attrSet("rel", "nofollow ugc noopener");
  return defaultLinkOpen(tokens, i, options, env, self);
};
// Images from people could track readers or break the CSP: show them as links instead.
md.renderer.rules.image = (tokens, i) => {
  const token = tokens[i]!;
  const src = token.attrGet("src") ?? "";
  const alt = md.utils.escapeHtml(token.content || src);
  return SAFE_LINK.test(src) ? `<a href="${md.utils.escapeHtml(src)}" rel="nofollow ugc noopener">${alt}</a>` : alt;
};

/**
 * Texts rendered lately, for the next page that shows them (a call's description on each visit):
 * rendering is pure, so an entry is never stale. Bounded by characters kept, least recently used
 * first out; a text too long to be worth keeping (a guide) is not kept.
 */
const rendered = new Map<string, string>();
const RENDERED_MAX_CHARS = 2_000_000;
const KEPT_TEXT_MAX_CHARS = 20_000;
let renderedChars = 0;

/** Safe HTML for a Markdown text (for dangerouslySetInnerHTML on our own pages). */
export function renderMarkdown(text: string): string {
  const kept = rendered.get(text);
  if (kept !== undefined) {
    rendered.delete(text);
    rendered.set(text, kept);
    return kept;
  }
  const html = md.render(text);
  if (text.length > KEPT_TEXT_MAX_CHARS) return html;
  rendered.set(text, html);
  renderedChars += text.length + html.length;
  for (const [oldest, oldHtml] of rendered) {
    if (renderedChars <= RENDERED_MAX_CHARS) break;
    rendered.delete(oldest);
    renderedChars -= oldest.length + oldHtml.length;
  }
  return html;
}

/** Plain text of a Markdown text, e.g. for meta descriptions and emails. */
export function markdownToText(text: string, maxLength = 300): string {
  const plain = renderMarkdown(text)
    .replace(/<[^>]+>/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
  return plain.length > maxLength ? `${plain.slice(0, maxLength - 1).trimEnd()}…` : plain;
}

// [guides] Documents with section anchors: each heading gets an id derived from its text (or the
// one written after it as `{#id}`, which survives rewording), so links to a section stay stable.

/** The anchor a heading's text gets: lower case, letters and digits joined by single hyphens. */
export function headingAnchor(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return slug || "section";
}

const EXPLICIT_ANCHOR = /\s*\{#([a-z0-9][a-z0-9-]*)\}\s*$/;

export type DocumentHeading = { level: number; text: string; id: string };
export type DocumentSection = { anchor: string; heading: string; text: string };

type Token = ReturnType<typeof md.parse>[number];

/** Sets each heading's id (explicit `{#id}` first, else from its text; repeats get -2, -3…). */
function anchorHeadings(tokens: Token[]): DocumentHeading[] {
  const headings: DocumentHeading[] = [];
  const used = new Map<string, number>();
  tokens.forEach((token, i) => {
    if (token.type !== "heading_open") return;
    const inline = tokens[i + 1];
    if (!inline || inline.type !== "inline") return;
    let explicit: string | null = null;
    const match = EXPLICIT_ANCHOR.exec(inline.content);
    if (match) {
      explicit = match[1]!;
      inline.content = inline.content.slice(0, match.index);
      const last = inline.children?.at(-1);
      if (last?.type === "text") last.content = last.content.replace(EXPLICIT_ANCHOR, "");
    }
    const text = (inline.children ?? [])
      .filter((c) => c.type === "text" || c.type === "code_inline")
      .map((c) => c.content)
      .join("")
      .trim();
    const base = explicit ?? headingAnchor(text);
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    const id = seen === 0 ? base : `${base}-${seen + 1}`;
    token.attrSet("id", id);
    headings.push({ level: Number(token.tag.slice(1)), text, id });
  });
  return headings;
}

/**
 * Safe HTML for a Markdown document whose headings carry stable ids, and the list of headings (their
 * levels as written). `headingOffset` renders each heading that many levels lower (## as <h3> when
 * the document sits under a page's own <h2>).
 */
export function renderMarkdownDocument(
  text: string,
  { headingOffset = 0 }: { headingOffset?: number } = {},
): { html: string; headings: DocumentHeading[] } {
  const env = {};
  const tokens = md.parse(text, env);
  const headings = anchorHeadings(tokens);
  if (headingOffset) {
    for (const token of tokens) {
      if (token.type === "heading_open" || token.type === "heading_close") {
        token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + headingOffset)}`;
      }
    }
  }
  return { html: md.renderer.render(tokens, md.options, env), headings };
}

/** The document cut at its headings: the text before the first heading has the anchor "". */
export function markdownSections(text: string): DocumentSection[] {
  const tokens = md.parse(text, {});
  anchorHeadings(tokens);
  const sections: DocumentSection[] = [{ anchor: "", heading: "", text: "" }];
  let inHeading = false;
  for (const token of tokens) {
    if (token.type === "heading_open") {
      sections.push({ anchor: token.attrGet("id") ?? "", heading: "", text: "" });
      inHeading = true;
    } else if (token.type === "heading_close") {
      inHeading = false;
    } else if (token.type === "inline" || token.type === "code_block" || token.type === "fence") {
      const plain = (token.children?.length ? token.children : [token])
        .map((c) =>
          c.type === "softbreak" || c.type === "hardbreak"
            ? " "
            : ["text", "code_inline", "code_block", "fence"].includes(c.type)
              ? c.content
              : "",
        )
        .join("")
        .replace(/\s+/g, " ")
        .trim();
      const current = sections.at(-1)!;
      if (inHeading) current.heading = plain;
      else current.text = current.text ? `${current.text} ${plain}` : plain;
    }
  }
  return sections.filter((s) => s.anchor !== "" || s.text !== "");
}
