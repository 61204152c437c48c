// Reads what a package declares in its trove classifiers: the Django and Python versions it
// supports and its licence. Real metadata has odd forms ("Framework :: Django :: 6" with no minor,
// "Python :: 3.15" before that Python exists, stray spaces): they are kept, not guessed away.
import { filter as satisfying, validRange } from "@renovatebot/pep440";

export type DeclaredSupport = {
  /** Django versions as written ("4.2", "6", "2028"), in version order, without duplicates. */
  django: string[];
  /** Python 3 minors ("3.10"), in version order, without duplicates. */
  python: string[];
  /** True when the package says "Framework :: Django" at all. */
  djangoFramework: boolean;
  /** The licence named by a "License ::" classifier, if any. */
  license: string | null;
};

const DJANGO = /^Framework\s*::\s*Django\s*::\s*(\d+(?:\.\d+)?)\s*$/;
const PYTHON = /^Programming Language\s*::\s*Python\s*::\s*(3\.\d+)\s*$/;
const LICENSE = /^License\s*::\s*(?:OSI Approved\s*::\s*)?(.+?)\s*$/;

/** Orders "4.2" < "5.0" < "6" < "6.1" < "2028" numerically, not as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

const unique = (values: string[]) => [...new Set(values)].sort(compareVersions);

export function parseClassifiers(classifiers: readonly string[]): DeclaredSupport {
  const django: string[] = [];
  const python: string[] = [];
  let djangoFramework = false;
  let license: string | null = null;
  for (const raw of classifiers) {
    const c = raw.trim();
    if (/^Framework\s*::\s*Django(\s*::|$)/.test(c)) djangoFramework = true;
    const d = DJANGO.exec(c);
    if (d) django.push(normalizeDjangoVersion(d[1]!));
    const p = PYTHON.exec(c);
    if (p) python.push(p[1]!);
    const l = LICENSE.exec(c);
    if (l && !license && l[1] !== "OSI Approved") license = l[1]!;
  }
  return { django: unique(django), python: unique(python), djangoFramework, license };
}

/** "6.0" stays "6.0"; "2028.0" becomes "2028" (DEP 20 names the first of a year without ".0"). */
function normalizeDjangoVersion(v: string): string {
  return /^\d{4}\.0$/.test(v) ? v.slice(0, 4) : v;
}

/**
 * Whether a declared Django version covers a release: "6.0" covers 6.0; a bare "6" (the odd form)
 * covers every 6.x; "2028" covers 2028 and "2028.0".
 */
export function declaresRelease(declared: readonly string[], release: string): boolean {
  const rel = normalizeDjangoVersion(release);
  return declared.some((d) => d === rel || (!d.includes(".") && d.length < 4 && rel.startsWith(`${d}.`)));
}

/** Patch releases tried per minor: more than any Python minor has had (3.7 ended at 3.7.17). */
const PATCHES = Array.from({ length: 40 }, (_, i) => i);
const allowedCache = new Map<string, string[]>();

/**
 * The Python minors a `requires_python` specifier allows among `candidates`, read as PEP 440 by
 * @renovatebot/pep440 (not by hand): a minor ("3.10") is allowed when pip would install on some
 * final release of it (3.10, 3.10.0 … 3.10.39), so ">=3.8.1" allows 3.8, "~=3.8.1" allows 3.8 only,
 * "<3.11.0rc1" stops at 3.10 and "===3.11" allows 3.11. A specifier that is not valid PEP 440 allows
 * everything, as pip does when it ignores an invalid Requires-Python (we would rather not warn wrongly).
 */
export function pythonsAllowed(requiresPython: string | null, candidates: readonly string[]): string[] {
  const spec = requiresPython?.trim();
  if (!spec || !validRange(spec)) return [...candidates];
  // The library parses every version on every comparison (a few ms per call); packages share a
  // handful of specifiers, so remember the answers.
  const key = `${spec}\n${candidates.join(",")}`;
  const known = allowedCache.get(key);
  if (known) return [...known];
  if (allowedCache.size >= 1000) allowedCache.clear();
  const releases = candidates.flatMap((minor) => [minor, ...PATCHES.map((p) => `${minor}.${p}`)]);
  // One call, so the specifier is parsed once; `prereleases: false` keeps it to final releases.
  const allowed = new Set(satisfying(releases, spec, { prereleases: false }));
  const result = candidates.filter((minor) => allowed.has(minor) || PATCHES.some((p) => allowed.has(`${minor}.${p}`)));
  allowedCache.set(key, result);
  return [...result];
}
