// Redirect targets are same-origin paths after normalisation: the one rule, `safeRedirectPath`, for
// every redirect to a target a visitor chose. The login route itself is exercised in
// tests/integration/redirects.test.ts.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { safeRedirectPath } from "#app/utils/redirects.ts";

const APP = "https://roadies.example";

/** Targets that leave the site, once a browser has normalised them, or that hide how they do. */
const refused: Array<[string, string]> = [
  ["/.//evil.example/x", "a dot segment before // normalises to //evil.example/x"],
  ["/..//x", "a parent segment at the root normalises to //x"],
  ["/a/..//x", "a parent segment after a path normalises to //x"],
  ["/%2e//x", "an encoded dot segment normalises to //x"],
  ["/%2E%2E//x", "encoded parent segments normalise to //x"],
  ["/a/%2e%2e//x", "encoded parent segments after a path normalise to //x"],
  ["/./\\x", "a backslash after a dot segment"],
  ["//evil.example", "protocol-relative"],
  ["///evil.example", "three slashes"],
  ["/\\evil.example", "slash backslash"],
  ["\\\\evil.example", "two backslashes"],
  ["/calls\\..\\..\\/evil.example", "a backslash anywhere in the path"],
  ["/calls?x=\\", "a backslash in the query"],
  ["/%2F%2Fevil.example", "encoded slashes"],
  ["/%2f/evil.example", "an encoded slash (lower case)"],
  ["/.%2f/evil.example", "an encoded slash after a dot"],
  ["/%5Cevil.example", "an encoded backslash"],
  ["/%5c%5cevil.example", "encoded backslashes (lower case)"],
  ["/\t/evil.example", "a tab (the URL parser drops it, leaving //)"],
  ["/\n/evil.example", "a newline"],
  ["/\r/evil.example", "a carriage return"],
  ["/calls\u0000", "NUL"],
  ["/calls\u007f", "DEL"],
  ["/calls\uffff", "a noncharacter"],
  ["/calls\ud800", "a lone surrogate"],
  ["https://evil.example/", "an absolute URL"],
  ["http://127.0.0.1:3999@evil.example", "user-info look-alike"],
  ["https:evil.example", "scheme-relative"],
  ["javascript:alert(1)", "javascript:"],
  ["data:text/html,<script>alert(1)</script>", "data:"],
  [" //evil.example", "leading space"],
  ["evil.example", "no leading slash"],
  ["", "empty"],
];

/** Ordinary paths on this site: kept, normalised the way a browser would read them. */
const kept: Array<[string, string]> = [
  ["/", "/"],
  ["/calls", "/calls"],
  ["/calls?x=1#a", "/calls?x=1#a"],
  ["/calls/2/manage?tab=interest&sort=new", "/calls/2/manage?tab=interest&sort=new"],
  ["/packages/django-debug-toolbar", "/packages/django-debug-toolbar"],
  ["/search?q=a%2Fb", "/search?q=a%2Fb"],
  ["/calls#//evil.example", "/calls#//evil.example"],
  ["/a/../calls", "/calls"],
  ["/./calls", "/calls"],
  ["/people/Zoë", "/people/Zo%C3%AB"],
];

describe("redirect targets are same-origin paths after normalisation", () => {
  test.each(refused)("%j is refused (%s)", (target) => {
    expect(safeRedirectPath(target)).toBe("/");
    expect(safeRedirectPath(target, "/calls")).toBe("/calls");
  });

  test.each(kept)("%j is kept as %j", (target, expected) => {
    expect(safeRedirectPath(target)).toBe(expected);
  });

  test("missing targets fall back", () => {
    expect(safeRedirectPath(null)).toBe("/");
    expect(safeRedirectPath(undefined, "/calls")).toBe("/calls");
  });

  test("whatever it is given, the answer resolves to this site and is its own normal form (fast-check)", () => {
    const piece = fc.constantFrom(
      "/",
      "//",
      "\\",
      ".",
      "..",
      "%2e",
      "%2E",
      "%2f",
      "%5c",
      "\t",
      "?",
      "#",
      "@",
      ":",
      "a",
    );
    const target = fc.array(fc.oneof(piece, fc.string({ unit: "binary", maxLength: 4 })), { maxLength: 12 });
    fc.assert(
      fc.property(target, (parts) => {
        const out = safeRedirectPath(`/${parts.join("")}`);
        expect(new URL(out, APP).origin).toBe(APP);
        expect(out).toMatch(/^\/(?![/\\])/);
        expect(safeRedirectPath(out)).toBe(out);
      }),
      { numRuns: 3000, seed: 20261213 },
    );
  });
});
