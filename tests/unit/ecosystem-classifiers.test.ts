// Classifier parsing against every package of the shared classifiers facts (copied into
// tests/fixtures/pypi-facts.json), including the odd real forms.
import { describe, expect, test } from "vitest";
import facts from "#tests/fixtures/pypi-facts.json" with { type: "json" };
import {
  compareVersions,
  declaresRelease,
  parseClassifiers,
  pythonsAllowed,
} from "#app/models/ecosystem/classifiers.ts";

// The versions the facts file derived by filtering the classifiers (its own django_versions/python_versions).
const expected: Record<string, { django: string[]; python: string[] }> = {
  channels: { django: ["5.2", "6.0", "6.1"], python: ["3.10", "3.11", "3.12", "3.13", "3.14"] },
  "dj-database-url": { django: ["4.2", "5.2", "6"], python: ["3.10", "3.11", "3.12", "3.13", "3.14"] },
  "django-environ": {
    django: ["1.11", "2.0", "2.1", "2.2", "3.0", "3.1", "3.2", "4.0", "4.1", "4.2"],
    python: ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11"],
  },
  "django-cors-headers": { django: ["5.2", "6.0", "6.1"], python: ["3.10", "3.11", "3.12", "3.13", "3.14", "3.15"] },
  "drf-spectacular": {
    django: ["2.2", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0"],
    python: ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"],
  },
  "django-storages": { django: ["4.2", "5.0", "5.1", "5.2"], python: ["3.8", "3.9", "3.10", "3.11", "3.12"] },
};

const packages = Object.entries(facts.packages);

describe("parseClassifiers", () => {
  test("the facts hold 39 packages", () => expect(packages).toHaveLength(39));

  test.each(packages)("%s: declared versions are in order, unique and well formed", (_name, p) => {
    const parsed = parseClassifiers(p.classifiers);
    expect(parsed.djangoFramework).toBe(p.classifiers.some((c) => c.startsWith("Framework :: Django")));
    expect([...parsed.django].sort(compareVersions)).toEqual(parsed.django);
    expect(new Set(parsed.django).size).toBe(parsed.django.length);
    for (const v of parsed.django) expect(v).toMatch(/^\d+(\.\d+)?$/);
    for (const v of parsed.python) expect(v).toMatch(/^3\.\d+$/);
    // Every "Framework :: Django :: X" line is accounted for.
    const lines = p.classifiers.filter((c) => /^Framework :: Django :: /.test(c));
    expect(parsed.django.length).toBe(new Set(lines).size);
  });

  test.each(Object.entries(expected))("%s matches the versions the facts list", (name, want) => {
    const p = facts.packages[name as keyof typeof facts.packages];
    const parsed = parseClassifiers(p.classifiers);
    expect(parsed.django).toEqual(want.django);
    expect(parsed.python).toEqual(want.python);
  });

  test("the odd form 'Framework :: Django :: 6' (no minor) covers every 6.x but not 5.2 or 2028", () => {
    const parsed = parseClassifiers(facts.packages["dj-database-url"].classifiers);
    expect(parsed.django).toContain("6");
    expect(declaresRelease(parsed.django, "6.0")).toBe(true);
    expect(declaresRelease(parsed.django, "6.2")).toBe(true);
    expect(declaresRelease(parsed.django, "5.1")).toBe(false);
    expect(declaresRelease(parsed.django, "2028")).toBe(false);
  });

  test("a Python that does not exist yet (3.15) is kept as declared", () => {
    expect(parseClassifiers(facts.packages.whitenoise.classifiers).python.at(-1)).toBe("3.15");
  });

  test("stray spaces, Python 2 and bare 'Python :: 3' lines, and calendar versions", () => {
    const parsed = parseClassifiers([
      "Framework :: Django ::  5.2 ",
      " Framework :: Django :: 2028.0",
      "Framework :: Django :: 2029",
      "Programming Language :: Python :: 2.7",
      "Programming Language :: Python :: 3",
      "Programming Language :: Python :: 3 :: Only",
      "Programming Language :: Python :: 3.9",
      "Programming Language :: Python :: 3.10",
      "License :: OSI Approved :: BSD License",
    ]);
    expect(parsed.django).toEqual(["5.2", "2028", "2029"]);
    expect(parsed.python).toEqual(["3.9", "3.10"]);
    expect(parsed.license).toBe("BSD License");
    expect(declaresRelease(parsed.django, "2028")).toBe(true);
  });

  test("licences from classifiers", () => {
    expect(parseClassifiers(facts.packages["django-allauth"].classifiers).license).toBe("MIT License");
    expect(parseClassifiers(facts.packages.whitenoise.classifiers).license).toBeNull();
  });
});

describe("pythonsAllowed", () => {
  const all = ["3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14"];
  test.each([
    [">=3.10", ["3.10", "3.11", "3.12", "3.13", "3.14"]],
    [">= 3.10", ["3.10", "3.11", "3.12", "3.13", "3.14"]],
    [">=3.10,<4.0", ["3.10", "3.11", "3.12", "3.13", "3.14"]],
    [">=3.6,<4", all],
    [">=3.8,<3.12", ["3.8", "3.9", "3.10", "3.11"]],
    ["~=3.11", ["3.11", "3.12", "3.13", "3.14"]],
    [null, all],
  ])("%s", (spec, want) => expect(pythonsAllowed(spec, all)).toEqual(want));

  test("every requires_python in the facts parses to at least one Python", () => {
    const specs = Object.values(facts.packages).flatMap((p) => (p.requiresPython ? [p.requiresPython] : []));
    expect(specs.length, "the facts hold requires_python values to check").toBeGreaterThan(0);
    expect(specs.filter((spec) => pythonsAllowed(spec, all).length === 0)).toEqual([]);
  });
});
