// Package-name identity shared by the server, the seeds and the browser: pure, no server imports.

/**
 * PEP 503 normalisation: lower case, and every run of "-", "_" or "." becomes one "-".
 * Two names with the same normal form are the same package on PyPI.
 */
export function normalizePackageName(name: string): string {
  return name
    .trim()
    .replace(/[-_.]+/g, "-")
    .toLowerCase();
}
