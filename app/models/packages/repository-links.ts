// Which GitHub repository a URL from PyPI's metadata names. Pure (no server code): the unit tests
// and the proof check (proof.server.ts) share it.

/** "owner/name" in lower case: how two spellings of the same repository compare equal. */
export const repositoryKey = (fullName: string) =>
  fullName
    .trim()
    .toLowerCase()
    .replace(/\.git$/, "");

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
// GitHub's own pages whose first path segment is no account.
const RESERVED = new Set([
  "sponsors",
  "orgs",
  "users",
  "apps",
  "marketplace",
  "topics",
  "features",
  "settings",
  "enterprise",
  "collections",
  "about",
  "login",
  "explore",
  "site",
]);

/**
 * The repository a GitHub URL points at, as a lower-case "owner/name", or null when the URL is not
 * the address of a repository. Normalised: scheme (http, https, git+https, git://, none), `www.`,
 * case, a trailing `.git` or slash, a query or fragment, and a `/tree/<ref>/…` suffix. Any other
 * path below the repository (a changelog in another project's `blob/`, `issues`, `sponsors/…`) is
 * not taken as naming it.
 */
export function githubRepositoryOf(url: string): string | null {
  let v = url.trim();
  v = v.replace(/^git\+/i, "");
  v = v.replace(/^(?:https?|git|ssh):\/\//i, "");
  v = v.replace(/^git@github\.com:/i, "github.com/");
  if (!/^(?:www\.)?github\.com\//i.test(v)) return null;
  v = v.replace(/^(?:www\.)?github\.com\//i, "");
  v = v.replace(/[?#].*$/, "").replace(/\/+$/, "");
  const [owner, rawName, ...rest] = v.split("/");
  if (!owner || !rawName) return null;
  if (rest.length > 0 && rest[0] !== "tree") return null;
  const name = rawName.replace(/\.git$/i, "");
  if (RESERVED.has(owner.toLowerCase()) || !OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..")
    return null;
  return `${owner}/${name}`.toLowerCase();
}

/** The first of `urls` (label → URL, PyPI's `project_urls` and `home_page`) that names one of `repositories`. */
export function metadataNaming(urls: Record<string, string>, repositories: string[]): string | null {
  const wanted = new Set(repositories.map(repositoryKey));
  for (const url of Object.values(urls)) {
    const repo = githubRepositoryOf(url);
    if (repo && wanted.has(repo)) return url;
  }
  return null;
}
