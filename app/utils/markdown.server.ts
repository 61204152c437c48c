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

/** Safe HTML for a Markdown text (for dangerouslySetInnerHTML on our own pages). */
export function renderMarkdown(text: string): string {
  return md.render(text);
}

/** Plain text of a Markdown text, e.g. for meta descriptions and emails. */
export function markdownToText(text: string, maxLength = 300): string {
  const plain = md
    .render(text)
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
