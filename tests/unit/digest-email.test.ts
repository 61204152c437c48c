// The digest email composed from parts rendered once (the fast path every run uses) is the
// document React renders for <DigestEmail>, byte for byte once characters beyond Latin-1 are
// written as character references, including the escaping of whatever people typed.
import { describe, expect, it } from "vitest";
import { digestEmail, digestHtml, latin1, renderDigestHtml, type DigestEmailProps } from "#emails/digest-weekly.tsx";

const tricky = ["a & b", "<script>alert(1)</script>", `"double" and 'single'`, "José’s “quotes” 🚀", "", "plain"];

function props(n: number): DigestEmailProps {
  const sections = ["people", "calls", "transfers", "programs", "unknown-section"];
  return {
    login: n % 2 ? "l<o>g&in" : "ada",
    name: n % 3 === 0 ? null : `${tricky[n % tricky.length]} ${n}`,
    week: "2026-W53",
    frequency: n % 2 ? "every week" : "every 2 weeks",
    appUrl: "https://roadies.example.org",
    preferencesUrl: "https://roadies.example.org/settings/notifications?a=1&b=2",
    unsubscribeUrl: `https://roadies.example.org/unsubscribe/tok'"${n}`,
    items: Array.from({ length: n % 12 }, (_, i) => ({
      kind: i % 3 ? "call" : "volunteer",
      section: sections[(i + n) % sections.length]!,
      title: `${tricky[(i + n) % tricky.length]} #${i}`,
      packageName: tricky[(i * 5 + n) % tricky.length]!,
      url: `https://roadies.example.org/calls/${i}?x="1"&y=<2>`,
      reasons: tricky.slice(0, (i + n) % 5),
    })),
  };
}

describe("the digest email", () => {
  it("composes the same document as rendering the React template, for any content", () => {
    for (let n = 0; n < 60; n++) {
      expect(digestHtml(props(n))).toBe(latin1(renderDigestHtml(props(n))));
    }
  });

  it("writes characters beyond Latin-1 as references that decode to the same text", () => {
    const html = digestHtml(props(3));
    expect(html).not.toMatch(/[^\u0000-\u00ff]/);
    const decoded = html.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
    expect(decoded).toBe(renderDigestHtml(props(3)));
    expect(decoded).toContain("José’s “quotes” 🚀");
    // What people typed stays text: escaped, never markup.
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("gives a subject with the count, the text part and the React element for previews", () => {
    const email = digestEmail(props(4));
    expect(email.subject).toBe("4 matches for you on Roadies this week");
    expect(email.text).toContain("Unsubscribe from the digest: https://roadies.example.org/unsubscribe/tok'\"4");
    expect(latin1(renderDigestHtml(email.react.props as DigestEmailProps))).toBe(email.html);
  });
});
