import { expect, test } from "vitest";
import { markdownToText, renderMarkdown } from "#app/utils/markdown.server.ts";

test("raw HTML is shown as text, never as markup", () => {
  const html = renderMarkdown("Hello <img src=x onerror=alert(1)> <script>alert(1)</script>");
  expect(html).not.toContain("<img");
  expect(html).not.toContain("<script");
  expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
});

test("javascript: and data: links are not links", () => {
  for (const bad of [
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html,hi)",
    "<javascript:alert(1)>",
  ]) {
    expect(renderMarkdown(bad)).not.toMatch(/href="(javascript|data):/i);
  }
});

test("links are marked as user content", () => {
  const html = renderMarkdown("See [the docs](https://docs.djangoproject.com/) and https://pypi.org/");
  expect(html).toContain('<a href="https://docs.djangoproject.com/" rel="nofollow ugc noopener">the docs</a>');
  expect(html).toContain('href="https://pypi.org/" rel="nofollow ugc noopener"');
});

test("images become plain links", () => {
  const html = renderMarkdown("![logo](https://example.org/logo.png)");
  expect(html).not.toContain("<img");
  expect(html).toContain('<a href="https://example.org/logo.png" rel="nofollow ugc noopener">logo</a>');
});

test("plain text keeps the words and cuts long texts", () => {
  expect(markdownToText("**Bold** and `code` & <b>tags</b>")).toBe("Bold and code & <b>tags</b>");
  expect(markdownToText("word ".repeat(100), 20)).toHaveLength(20);
});

test("a text rendered again, after many others, gives the same safe HTML as the first time", () => {
  const texts = Array.from(
    { length: 3_000 },
    (_, i) => `Call ${i}: review **pull requests** <b>${i}</b> at https://example.org/${i}`,
  );
  const first = texts.map(renderMarkdown);
  // Enough other texts that the kept renders are pushed out and made again.
  for (let i = 0; i < 3; i++) texts.forEach((text) => renderMarkdown(`${text} again ${i}`));
  expect(texts.map(renderMarkdown)).toEqual(first);
  expect(first[7]).toBe(
    '<p>Call 7: review <strong>pull requests</strong> &lt;b&gt;7&lt;/b&gt; at <a href="https://example.org/7" rel="nofollow ugc noopener">https://example.org/7</a></p>\n',
  );
});
