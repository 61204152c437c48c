// A local GitHub stand-in: OAuth web flow (authorize page, token endpoint) and the few REST
// endpoints Roadies calls, with GitHub's status codes, error bodies and rate-limit headers.
// Used by the tests, by demo mode (mounted at /_demo/github in server.ts) and as a CLI:
//   tsx tests/fakes/github.ts --port 4020
// Node built-ins only: server.ts bundles this file into the demo build.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

export type Identity = {
  id: number;
  login: string;
  name: string | null;
  avatarUrl?: string;
  /** ISO timestamp of the account's creation. */
  createdAt: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
  /**
   * Not GitHub's: a line shown under this person on the stand-in's sign-in page, e.g. demo mode's
   * "working-group admin · try: …". Never returned by the API.
   */
  signInNote?: string;
};

export type Permission = "admin" | "maintain" | "push" | "triage" | "pull";

export type Repo = {
  owner: string;
  name: string;
  description?: string | null;
  private?: boolean;
  archived?: boolean;
  stars?: number;
  openIssues?: number;
  /** ISO timestamp. */
  pushedAt?: string;
  defaultBranch?: string;
  /** SPDX id such as "BSD-3-Clause". */
  license?: string | null;
  /** By lowercase login. Anyone not listed may only pull, and only from a public repository. */
  permissions: Record<string, Permission>;
};

export type GitHubStandInOptions = {
  identities?: Identity[];
  repos?: Repo[];
  /** API requests allowed per user per hour; GitHub's default for a token is 5000. */
  rateLimit?: number;
  /** The one OAuth app this stand-in knows; defaults to env.server.ts's local client. */
  client?: { id: string; secret: string };
  /** Not GitHub's: shown on the sign-in page under "Someone else", for a login typed there. */
  newLoginHint?: string;
  /**
   * Called once when a login typed on the sign-in page creates a new account, as signing up on
   * GitHub does (demo mode gives it a repository of its own here).
   */
  onNewIdentity?: (identity: Identity) => void;
  /** [directory] The clock of the rate-limit windows; a benchmark passes a simulated one. */
  now?: () => number;
};

export type GitHubStandIn = {
  handler(req: IncomingMessage, res: ServerResponse): void;
  listen(port?: number): Promise<{ url: string; close(): Promise<void> }>;
  addIdentity(identity: Identity): void;
  setRepo(repo: Repo): void;
  /**
   * Renames (or transfers) a repository, as GitHub does: the old name answers 301 to
   * /repositories/<id>, which serves the repository under its new full name.
   */
  renameRepo(from: string, to: string): void;
  /** null restores GitHub's default of 5000. Either way a fresh window starts. */
  setRateLimit(limit: number | null): void;
  /** [directory] A personal access token for `login` (as a sync token is), counted in that user's bucket. */
  issueToken(login: string, scope?: string): string;
};

const DOCS = "https://docs.github.com/rest";
const DEFAULT_RATE_LIMIT = 5000;
const RATE_WINDOW_MS = 60 * 60 * 1000;
const CODE_LIFETIME_MS = 10 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;
const LEVELS: Permission[] = ["pull", "triage", "push", "maintain", "admin"];
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;

type Grant = { userId: number; clientId: string; redirectUri: string; scope: string; expiresAt: number };
// Bound to the account id, not the login, so a token outlives a rename as on GitHub.
type Token = { userId: number; scope: string };
type Window = { used: number; resetAt: number };
type Query = URLSearchParams;

/** A stable id for a login typed on the authorize page, so the same login is the same person. */
export function standInIdFor(login: string): number {
  const hash = createHash("sha256").update(login.toLowerCase()).digest();
  // Above the ids of hand-written identities, below 2^53.
  return 100_000_000 + (hash.readUInt32BE(0) % 900_000_000);
}

export function createGitHubStandIn(options: GitHubStandInOptions = {}): GitHubStandIn {
  const client = options.client ?? { id: "roadies-demo", secret: "roadies-demo-secret" };
  const identities = new Map<number, Identity>();
  const repos = new Map<string, Repo>();
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Token>();
  const windows = new Map<string, Window>();
  let rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  let codesIssued = 0;

  // Adding an identity with a known id renames that account: its old login is free again.
  const addIdentity = (identity: Identity) => void identities.set(identity.id, identity);
  const byLogin = (login: string) =>
    [...identities.values()].find((i) => i.login.toLowerCase() === login.toLowerCase());
  // Old full names (lower case) → the repository's id, and each id → its current key.
  const movedFrom = new Map<string, number>();
  const keyById = new Map<number, string>();
  const ids = new Map<string, number>();
  const setRepo = (repo: Repo) => {
    const key = `${repo.owner}/${repo.name}`.toLowerCase();
    const id = ids.get(key) ?? repoId(key);
    ids.set(key, id);
    keyById.set(id, key);
    movedFrom.delete(key);
    repos.set(key, repo);
  };
  const renameRepo = (from: string, to: string) => {
    const oldKey = from.toLowerCase();
    const repo = repos.get(oldKey);
    if (!repo) throw new Error(`no repository ${from} to rename`);
    const [owner, name] = to.split("/") as [string, string];
    const id = ids.get(oldKey)!;
    repos.delete(oldKey);
    ids.delete(oldKey);
    const newKey = to.toLowerCase();
    repos.set(newKey, { ...repo, owner, name });
    ids.set(newKey, id);
    keyById.set(id, newKey);
    movedFrom.set(oldKey, id);
  };
  /** The repository at owner/name, or GitHub's 301 for a renamed one (true: the answer is sent). */
  const lookUp = (res: ServerResponse, owner: string, name: string): Repo | true | undefined => {
    const key = `${decode(owner)}/${decode(name)}`.toLowerCase();
    const repo = repos.get(key);
    if (repo) return repo;
    const moved = movedFrom.get(key);
    if (moved === undefined) return undefined;
    // Relative to /…/repos/<owner>/<name>, so it works standalone and mounted alike.
    const location = `../../repositories/${moved}`;
    res.writeHead(301, { location, "content-type": "application/json; charset=utf-8" });
    res.end(
      JSON.stringify({ message: "Moved Permanently", url: location, documentation_url: `${DOCS}#http-redirects` }),
    );
    return true;
  };
  const byId = (id: string) => {
    const key = keyById.get(Number(id));
    return key ? repos.get(key) : undefined;
  };
  const idOf = (repo: Repo) => ids.get(`${repo.owner}/${repo.name}`.toLowerCase());
  for (const identity of options.identities ?? []) addIdentity(identity);
  for (const repo of options.repos ?? []) setRepo(repo);

  function identityFor(login: string): Identity {
    const known = byLogin(login);
    if (known) return known;
    const created: Identity = {
      id: standInIdFor(login),
      login,
      name: null,
      createdAt: "2019-01-01T00:00:00Z",
      emails: [{ email: `${login.toLowerCase()}@users.noreply.example`, primary: true, verified: true }],
    };
    addIdentity(created);
    options.onNewIdentity?.(created);
    return created;
  }

  // ---- OAuth: authorize page --------------------------------------------------------------

  function authorize(query: Query, res: ServerResponse, problem?: string) {
    const clientId = query.get("client_id");
    const redirectUri = query.get("redirect_uri");
    if (!clientId || !redirectUri) {
      return sendPage(
        res,
        400,
        "Bad request",
        `<p>The sign-in link is missing <code>client_id</code> or <code>redirect_uri</code>.</p>`,
      );
    }
    if (clientId !== client.id) {
      return sendPage(
        res,
        400,
        "Unknown application",
        `<p>No OAuth application has the client id ${escape(clientId)}.</p>`,
      );
    }
    if (!isHttpUrl(redirectUri)) {
      return sendPage(res, 400, "Bad redirect", `<p>The <code>redirect_uri</code> must be an http or https URL.</p>`);
    }
    // The same OAuth parameters travel with every choice on the page.
    const carried = ["client_id", "redirect_uri", "state", "scope"]
      .map((name) => `<input type="hidden" name="${name}" value="${escape(query.get(name) ?? "")}">`)
      .join("");
    const people = [...identities.values()]
      .map((i, n) => {
        // The note describes the button (aria-describedby) without changing its name.
        const note = i.signInNote ? `<p class="note" id="note-${n}">${escape(i.signInNote)}</p>` : "";
        const describedBy = i.signInNote ? ` aria-describedby="note-${n}"` : "";
        // The paragraph's margins keep the buttons apart enough for WCAG 2.2's target size rule.
        return `<li><p><button type="submit" name="login" value="${escape(i.login)}"${describedBy}>${escape(i.login)}${i.name ? ` (${escape(i.name)})` : ""}</button></p>${note}</li>`;
      })
      .join("");
    const body = `
<p><strong>This is a local stand-in for GitHub</strong>, not github.com. Nothing you choose here leaves this machine, and no password is asked for.</p>
<p>Roadies asks for: ${escape(query.get("scope") || "(no scopes)")}.</p>
${
  people
    ? `<section aria-labelledby="known"><h2 id="known">Sign in as</h2><form method="get" action="authorize/approve">${carried}<ul>${people}</ul></form></section>`
    : ""
}
<section aria-labelledby="other"><h2 id="other">Someone else</h2>
${options.newLoginHint ? `<p id="new-login-hint">${escape(options.newLoginHint)}</p>` : ""}
<form method="get" action="authorize/approve">${carried}
<p><label for="login">or type any GitHub login</label>
<input id="login" name="login" type="text" required autocomplete="username"${
      problem ? ` aria-invalid="true" aria-describedby="login-problem"` : ""
    }>
${problem ? `<span id="login-problem">${escape(problem)}</span>` : ""}</p>
<p><button type="submit">Sign in with this login</button></p>
</form></section>
<form method="get" action="authorize/cancel">${carried}<p><button type="submit">Cancel</button></p></form>`;
    sendPage(res, problem ? 400 : 200, "Sign in to Roadies (GitHub stand-in)", body);
  }

  function approve(query: Query, res: ServerResponse) {
    const clientId = query.get("client_id");
    const redirectUri = query.get("redirect_uri");
    if (!clientId || !redirectUri || clientId !== client.id || !isHttpUrl(redirectUri)) return authorize(query, res);
    const login = (query.get("login") ?? "").trim();
    if (!LOGIN.test(login)) {
      return authorize(
        query,
        res,
        "A GitHub login has 1 to 39 letters, digits or single hyphens, and does not start or end with a hyphen.",
      );
    }
    const identity = identityFor(login);
    const code = randomBytes(10).toString("hex"); // GitHub's codes are 20 hex characters
    grants.set(code, {
      userId: identity.id,
      clientId,
      redirectUri,
      scope: (query.get("scope") ?? "")
        .split(/[\s,]+/)
        .filter(Boolean)
        .join(","),
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    codesIssued++;
    redirectTo(res, redirectUri, { code, state: query.get("state") });
  }

  function cancel(query: Query, res: ServerResponse) {
    const redirectUri = query.get("redirect_uri");
    if (!redirectUri || query.get("client_id") !== client.id || !isHttpUrl(redirectUri)) return authorize(query, res);
    redirectTo(res, redirectUri, {
      error: "access_denied",
      error_description: "The user has denied your application access.",
      error_uri:
        "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-authorization-request-errors/#access-denied",
      state: query.get("state"),
    });
  }

  // ---- OAuth: token endpoint ---------------------------------------------------------------

  function exchange(req: IncomingMessage, form: Query, res: ServerResponse) {
    const json = (req.headers.accept ?? "").includes("application/json");
    // GitHub answers errors here with HTTP 200 too.
    const answer = (fields: Record<string, string>) => {
      if (json) return sendJson(res, 200, fields);
      res.writeHead(200, { "content-type": "application/x-www-form-urlencoded; charset=utf-8" });
      res.end(new URLSearchParams(fields).toString());
    };
    const basic = parseBasic(req.headers.authorization);
    const clientId = basic?.id ?? form.get("client_id");
    const clientSecret = basic?.secret ?? form.get("client_secret");
    if (clientId !== client.id || clientSecret !== client.secret) {
      return answer({
        error: "incorrect_client_credentials",
        error_description: "The client_id and/or client_secret passed are incorrect.",
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#incorrect-client-credentials",
      });
    }
    const code = form.get("code") ?? "";
    const grant = grants.get(code);
    grants.delete(code); // single use, even when the rest of the request is wrong
    if (!grant || grant.expiresAt < Date.now() || grant.clientId !== clientId) {
      return answer({
        error: "bad_verification_code",
        error_description: "The code passed is incorrect or expired.",
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#bad-verification-code",
      });
    }
    const redirectUri = form.get("redirect_uri");
    if (redirectUri && redirectUri !== grant.redirectUri) {
      return answer({
        error: "redirect_uri_mismatch",
        error_description: "The redirect_uri MUST match the registered callback URL for this application.",
        error_uri:
          "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors/#redirect-uri-mismatch2",
      });
    }
    const token = `gho_${randomBytes(27).toString("base64url").replace(/[-_]/g, "0").slice(0, 36)}`;
    tokens.set(token, { userId: grant.userId, scope: grant.scope });
    answer({ access_token: token, token_type: "bearer", scope: grant.scope });
  }

  // ---- REST API ----------------------------------------------------------------------------

  function api(req: IncomingMessage, path: string, res: ServerResponse) {
    const token = parseBearer(req.headers.authorization);
    const session = token ? tokens.get(token) : undefined;
    const identity = session ? identities.get(session.userId) : undefined;

    // Counted per user, like GitHub; requests without a valid token share one bucket.
    const bucket = identity ? `user:${identity.id}` : "anonymous";
    const now = options.now?.() ?? Date.now();
    let window = windows.get(bucket);
    if (!window || window.resetAt <= now) {
      window = { used: 0, resetAt: now + RATE_WINDOW_MS };
      windows.set(bucket, window);
    }
    const exhausted = window.used >= rateLimit;
    if (!exhausted) window.used++;
    res.setHeader("x-ratelimit-limit", String(rateLimit));
    res.setHeader("x-ratelimit-remaining", String(Math.max(0, rateLimit - window.used)));
    res.setHeader("x-ratelimit-used", String(window.used));
    res.setHeader("x-ratelimit-reset", String(Math.ceil(window.resetAt / 1000)));
    res.setHeader("x-ratelimit-resource", "core");
    // [directory] A 304 to an authorised conditional request does not count against the limit.
    const refund = identity
      ? () => {
          window.used--;
          res.setHeader("x-ratelimit-remaining", String(Math.max(0, rateLimit - window.used)));
          res.setHeader("x-ratelimit-used", String(window.used));
        }
      : undefined;
    res.setHeader("x-github-api-version-selected", "2022-11-28");
    res.setHeader("x-github-media-type", "github.v3; format=json");
    res.setHeader("x-github-request-id", randomBytes(8).toString("hex").toUpperCase());

    if (exhausted) {
      return sendJson(res, 403, {
        message: `API rate limit exceeded for ${identity ? `user ID ${identity.id}` : "this address"}. If you reach out to GitHub Support for help, please include the request ID.`,
        documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        status: "403",
      });
    }
    if (req.method !== "GET") return notFound(res);
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)$/.exec(path);
    const idPath = /^\/repositories\/(\d+)$/.exec(path);
    // As on GitHub, public repositories can be read without a token (package metadata sync).
    if (!token && (repoPath || idPath)) {
      const repo = repoPath ? lookUp(res, repoPath[1]!, repoPath[2]!) : byId(idPath![1]!);
      if (repo === true) return;
      if (!repo || repo.private) return notFound(res);
      return sendJsonWithEtag(req, res, repoJson(repo, "pull", idOf(repo)));
    }
    if (!token)
      return sendJson(res, 401, { message: "Requires authentication", documentation_url: DOCS, status: "401" });
    if (!session || !identity)
      return sendJson(res, 401, { message: "Bad credentials", documentation_url: DOCS, status: "401" });
    res.setHeader("x-oauth-scopes", session.scope.split(",").filter(Boolean).join(", "));

    if (path === "/user") {
      res.setHeader("x-accepted-oauth-scopes", "");
      return sendJson(res, 200, userJson(identity));
    }
    if (path === "/user/emails") {
      res.setHeader("x-accepted-oauth-scopes", "user, user:email");
      const scopes = session.scope.split(",");
      // GitHub hides what a token's scopes do not cover behind a 404.
      if (!scopes.includes("user") && !scopes.includes("user:email")) return notFound(res);
      return sendJson(
        res,
        200,
        identity.emails.map((e) => ({ ...e, visibility: e.primary ? "private" : null })),
      );
    }
    if (repoPath || idPath) {
      res.setHeader("x-accepted-oauth-scopes", "repo");
      const found = repoPath ? lookUp(res, repoPath[1]!, repoPath[2]!) : byId(idPath![1]!);
      if (found === true) return;
      const repo = found;
      const level = repo?.permissions[identity.login.toLowerCase()];
      // Private repositories are invisible (404) to anyone without access, as on GitHub.
      if (!repo || (repo.private && !level)) return notFound(res);
      return sendJsonWithEtag(req, res, repoJson(repo, level ?? "pull", idOf(repo)), refund);
    }
    // [trust] A person's role on a repository; GitHub answers only those who can push to it.
    const collaborator = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(path);
    if (collaborator) {
      const repo = repos.get(`${decode(collaborator[1]!)}/${decode(collaborator[2]!)}`.toLowerCase());
      const own = repo?.permissions[identity.login.toLowerCase()];
      if (!repo || (repo.private && !own)) return notFound(res);
      if (!own || LEVELS.indexOf(own) < LEVELS.indexOf("push")) {
        return sendJson(res, 403, {
          message: "Must have push access to view repository collaborators.",
          documentation_url: DOCS,
          status: "403",
        });
      }
      const login = decode(collaborator[3]!);
      const level: Permission | null = repo.permissions[login.toLowerCase()] ?? (repo.private ? null : "pull");
      const roleName = level ? (({ push: "write", pull: "read" } as Record<string, string>)[level] ?? level) : "none";
      const legacy = !level ? "none" : level === "admin" ? "admin" : LEVELS.indexOf(level) >= 2 ? "write" : "read";
      const person = byLogin(login);
      return sendJson(res, 200, {
        permission: legacy,
        role_name: roleName,
        user: person ? { ...userJson(person), role_name: roleName } : null,
      });
    }
    notFound(res);
  }

  // ---- routing -----------------------------------------------------------------------------

  async function route(req: IncomingMessage, res: ServerResponse) {
    // Express strips its mount path from req.url, so the same routes work standalone and mounted.
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const query = url.searchParams;
    if (path.startsWith("/api/") || path === "/api") return api(req, path.slice(4) || "/", res);
    if (req.method === "GET" || req.method === "HEAD") {
      if (path === "/login/oauth/authorize") return authorize(query, res);
      if (path === "/login/oauth/authorize/approve") return approve(query, res);
      if (path === "/login/oauth/authorize/cancel") return cancel(query, res);
      if (path === "/_test/state") {
        return sendJson(res, 200, {
          identities: identities.size,
          repos: repos.size,
          codesIssued,
          codesPending: grants.size,
          tokensIssued: tokens.size,
          rateLimit,
        });
      }
    }
    if (req.method === "POST" && path === "/login/oauth/access_token") {
      const form = await readForm(req);
      if (!form) return sendJson(res, 413, { message: "Request body too large" });
      return exchange(req, form, res);
    }
    if (path === "/login/oauth/access_token" || path.startsWith("/login/oauth/")) {
      return sendPage(res, 404, "Not found", "<p>This page does not exist on the GitHub stand-in.</p>");
    }
    notFound(res);
  }

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      process.stderr.write(`github stand-in: ${error instanceof Error ? error.stack : String(error)}\n`);
      if (!res.headersSent) sendJson(res, 500, { message: "Server Error" });
      else res.end();
    });
  };

  return {
    handler,
    addIdentity,
    setRepo,
    renameRepo,
    setRateLimit(limit) {
      rateLimit = limit ?? DEFAULT_RATE_LIMIT;
      windows.clear();
    },
    issueToken(login, scope = "") {
      const identity = byLogin(login);
      if (!identity) throw new Error(`no identity ${login} on the GitHub stand-in`);
      const token = `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "0").slice(0, 36)}`;
      tokens.set(token, { userId: identity.id, scope });
      return token;
    },
    listen(port = 0) {
      const server = createServer(handler);
      return new Promise((resolveListen, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          const address = server.address();
          const actual = typeof address === "object" && address ? address.port : port;
          resolveListen({
            url: `http://127.0.0.1:${actual}`,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                // fetch keeps connections alive; without this close() waits for them to time out.
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}

// ---- JSON shapes, as GitHub sends them ---------------------------------------------------------

function userJson(i: Identity) {
  return {
    login: i.login,
    id: i.id,
    node_id: `U_${Buffer.from(String(i.id)).toString("base64url")}`,
    avatar_url: i.avatarUrl ?? `https://avatars.githubusercontent.com/u/${i.id}?v=4`,
    html_url: `https://github.com/${i.login}`,
    type: "User",
    site_admin: false,
    name: i.name,
    company: null,
    blog: "",
    location: null,
    email: null, // the public email; the verified ones are only at /user/emails
    bio: null,
    public_repos: 0,
    followers: 0,
    following: 0,
    created_at: i.createdAt,
    updated_at: i.createdAt,
  };
}

/** A repository's id: from its first full name, and kept through renames. */
function repoId(key: string) {
  return Number.parseInt(createHash("sha256").update(key).digest("hex").slice(0, 8), 16);
}

function repoJson(r: Repo, level: Permission, id = repoId(`${r.owner}/${r.name}`.toLowerCase())) {
  const rank = LEVELS.indexOf(level);
  const fullName = `${r.owner}/${r.name}`;
  const pushedAt = r.pushedAt ?? null;
  return {
    id,
    name: r.name,
    full_name: fullName,
    owner: { login: r.owner, type: "Organization" },
    private: r.private ?? false,
    visibility: r.private ? "private" : "public",
    html_url: `https://github.com/${fullName}`,
    description: r.description ?? null,
    fork: false,
    archived: r.archived ?? false,
    disabled: false,
    stargazers_count: r.stars ?? 0,
    watchers_count: r.stars ?? 0,
    open_issues_count: r.openIssues ?? 0,
    pushed_at: pushedAt,
    created_at: "2015-01-01T00:00:00Z",
    updated_at: pushedAt ?? "2015-01-01T00:00:00Z",
    default_branch: r.defaultBranch ?? "main",
    license: r.license
      ? {
          key: r.license.toLowerCase(),
          name: r.license,
          spdx_id: r.license,
          url: `https://api.github.com/licenses/${r.license.toLowerCase()}`,
        }
      : null,
    // Each level includes the ones below it.
    permissions: {
      admin: rank >= LEVELS.indexOf("admin"),
      maintain: rank >= LEVELS.indexOf("maintain"),
      push: rank >= LEVELS.indexOf("push"),
      triage: rank >= LEVELS.indexOf("triage"),
      pull: rank >= LEVELS.indexOf("pull"),
    },
  };
}

// ---- HTTP helpers ------------------------------------------------------------------------------

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** GitHub sends an ETag and answers a matching If-None-Match with 304 and no body. */
function sendJsonWithEtag(req: IncomingMessage, res: ServerResponse, body: unknown, onNotModified?: () => void) {
  const text = JSON.stringify(body);
  const etag = `W/"${createHash("sha256").update(text).digest("hex").slice(0, 32)}"`;
  if (req.headers["if-none-match"] === etag) {
    onNotModified?.();
    res.writeHead(304, { etag, "cache-control": "private, max-age=60, s-maxage=60" });
    return res.end();
  }
  res.writeHead(200, {
    "content-type": "application/json; charset=utf-8",
    etag,
    "cache-control": "private, max-age=60, s-maxage=60",
  });
  res.end(text);
}

function notFound(res: ServerResponse) {
  sendJson(res, 404, { message: "Not Found", documentation_url: DOCS, status: "404" });
}

function sendPage(res: ServerResponse, status: number, title: string, body: string) {
  // Mounted in our server the app's stricter CSP is already set; standalone, bring our own.
  if (!res.hasHeader("content-security-policy")) {
    res.setHeader("content-security-policy", "default-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  }
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`);
}

function redirectTo(res: ServerResponse, target: string, params: Record<string, string | null>) {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  res.writeHead(302, { location: url.toString(), "cache-control": "no-store" });
  res.end();
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function parseBasic(header: string | undefined): { id: string; secret: string } | null {
  const match = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

function parseBearer(header: string | undefined): string | null {
  // GitHub accepts both "Bearer" and the older "token" scheme.
  const match = /^(?:Bearer|token)\s+(\S+)$/i.exec(header ?? "");
  return match ? match[1]! : null;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  // If a body parser ran before us (mounted in Express), the stream is already consumed.
  const parsed = (req as IncomingMessage & { body?: unknown }).body;
  if (parsed && typeof parsed === "object") {
    return new URLSearchParams(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ---- CLI ---------------------------------------------------------------------------------------

// Only when this very file is the entry point: once bundled into server.js, import.meta.url differs.
const thisFile = fileURLToPath(import.meta.url);
if (
  thisFile.endsWith(`${sep}tests${sep}fakes${sep}github.ts`) &&
  process.argv[1] &&
  resolve(process.argv[1]) === thisFile
) {
  const portFlag = process.argv.indexOf("--port");
  const port = portFlag > 0 ? Number(process.argv[portFlag + 1]) : 4020;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write("usage: tsx tests/fakes/github.ts [--port 4020]\n");
    process.exit(2);
  }
  const standIn = createGitHubStandIn();
  const { url, close } = await standIn.listen(port);
  process.stdout.write(
    `GitHub stand-in listening on ${url}\n  OAuth: ${url}/login/oauth/authorize\n  API:   ${url}/api\n`,
  );
  const stop = () => void close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
