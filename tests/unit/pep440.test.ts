// requires_python is PEP 440, read by @renovatebot/pep440 rather than by hand: which Python minors a
// package's specifier lets pip install on. The hand parser this replaced let "~=3.8.1" through to
// every later Python and did not know "<3.11.0rc1" or "===3.11".
import { describe, expect, test } from "vitest";
import { pythonsAllowed } from "#app/models/ecosystem/classifiers.ts";

const all = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];

describe("a Python minor is allowed exactly when pip would install on one of its releases", () => {
  test.each([
    ["~=3.8.1", ["3.8"], "the compatible release ~=3.8.1 means >=3.8.1, ==3.8.*"],
    ["~=3.8", all, "~=3.8 means >=3.8, ==3.*"],
    ["<3.11.0rc1", ["3.8", "3.9", "3.10"], "a pre-release bound excludes the final 3.11.0"],
    ["===3.11", ["3.11"], "arbitrary equality parses and matches the string 3.11"],
    [">=3.8.1", all, "3.8 is allowed: 3.8.1 and later exist"],
    [">3.10", ["3.10", "3.11", "3.12", "3.13", "3.14"], "3.10.1 is greater than 3.10"],
    [">3.10.39", ["3.11", "3.12", "3.13", "3.14"], "past every 3.10 release"],
    ["!=3.9.*, >=3.8", ["3.8", "3.10", "3.11", "3.12", "3.13", "3.14"], "a prefix exclusion"],
    ["==3.10.*", ["3.10"], "a prefix match"],
    ["<=3.10", ["3.8", "3.9", "3.10"], "3.10.0 is at most 3.10"],
    [">=4", [], "nothing allowed is a real answer, not an error"],
  ])("%s", (spec, want) => {
    expect(pythonsAllowed(spec, all)).toEqual(want);
  });

  test("a specifier that is not PEP 440 allows everything, as pip ignores it", () => {
    for (const spec of [">=3.6.*", "python3", ">=3.8;", "~=3"]) expect(pythonsAllowed(spec, all)).toEqual(all);
  });

  test("repeated calls give the same answer and cannot be changed through the returned array", () => {
    const first = pythonsAllowed("~=3.8.1", all);
    first.push("3.14");
    expect(pythonsAllowed("~=3.8.1", all)).toEqual(["3.8"]);
  });
});
