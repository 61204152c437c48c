// GitHub sign-in and the few REST calls Roadies makes. The only module that imports arctic:
// everything else calls these functions and handles a GitHubError by its `kind`.
import {
  ArcticFetchError,
  OAuth2Client,
  OAuth2RequestError,
  UnexpectedErrorResponseBodyError,
  UnexpectedResponseError,
} from "arctic";
import { z } from "zod";
import { env } from "#app/utils/env.server.ts";
import { log } from "#app/utils/log.server.ts";

/** How long to wait for GitHub before calling it unreachable. Mutable so tests can use a short wait. */
export const githubTimeouts = { requestMs: 10_000 };
const SCOPES = ["read:user", "user:email"];
// When GitHub gives no reset time for a limit, wait a minute (its advice for secondary limits).
const DEFAULT_RETRY_MS = 60_000;

export type GitHubErrorKind =
  | "unreachable" // network failure, timeout, or GitHub answering 5xx
  | "denied" // the person refused access, or GitHub forbade the request (403 without a rate limit)
  | "bad_code" // the sign-in code is unknown, used or expired: start sign-in again
  | "unauthorized" // the access token is invalid or revoked (401)
  | "not_found" // no such resource, or not visible to this token (GitHub hides private repos as 404)
  | "rate_limited" // see resetAt
  | "bad_response"; // GitHub answered something we do not understand, or rejected our app's credentials

export class GitHubError extends Error {
  readonly kind: GitHubErrorKind;
  /** For rate_limited: when GitHub lets us call again, in ms since the epoch. Otherwise null. */
  readonly resetAt: number | null;
  /** The HTTP status GitHub answered with, when there was one. */
  readonly status: number | null;

  constructor(
    kind: GitHubErrorKind,
    message: string,
    options: { resetAt?: number; status?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GitHubError";
    this.kind = kind;
    this.resetAt = options.resetAt ?? null;
    this.status = options.status ?? null;
  }
}

function oauthClient() {
  const { clientId, clientSecret } = env().github;
  return new OAuth2Client(clientId, clientSecret, `${env().appUrl}/auth/github/callback`);
}

/** Where to send the person to approve sign-in; `state` must also go in their state cookie. */
export function githubAuthorizationUrl(state: string): URL {
  return oauthClient().createAuthorizationURL(`${env().github.oauthUrl}/login/oauth/authorize`, state, SCOPES);
}

/** Trades the callback's `code` for an access token. Codes are single-use and expire in 10 minutes. */
export async function exchangeGitHubCode(code: string): Promise<string> {
  const endpoint = `${env().github.oauthUrl}/login/oauth/access_token`;
  let data: object;
  try {
    // arctic takes no AbortSignal, so the timeout races its request instead.
    const tokens = await withTimeout(oauthClient().validateAuthorizationCode(endpoint, code, null));
    data = tokens.data;
  } catch (error) {
    throw tokenRequestError(error);
  }
  // GitHub reports a bad code with HTTP 200 and an `error` field, which arctic returns as tokens.
  if ("error" in data) throw oauthError(String(data.error));
  const parsed = z.object({ access_token: z.string().min(1) }).safeParse(data);
  if (!parsed.success) throw new GitHubError("bad_response", "GitHub's token answer has no access_token");
  return parsed.data.access_token;
}

async function withTimeout<T>(pending: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GitHubError("unreachable", `GitHub did not answer within ${githubTimeouts.requestMs / 1000} s`)),
      githubTimeouts.requestMs,
    );
  });
  try {
    return await Promise.race([pending, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function tokenRequestError(error: unknown): GitHubError {
  if (error instanceof GitHubError) return error;
  if (error instanceof ArcticFetchError) {
    return new GitHubError("unreachable", "Could not reach GitHub's token endpoint", { cause: error.cause });
  }
  // arctic throws this for 400/401 answers that carry an OAuth error body.
  if (error instanceof OAuth2RequestError) return oauthError(error.code);
  if (error instanceof UnexpectedResponseError || error instanceof UnexpectedErrorResponseBodyError) {
    const status = error.status;
    if (status >= 500) return new GitHubError("unreachable", `GitHub's token endpoint answered ${status}`, { status });
    if (status === 429) {
      return new GitHubError("rate_limited", "GitHub's token endpoint is rate limited", {
        status,
        resetAt: Date.now() + DEFAULT_RETRY_MS,
      });
    }
    return new GitHubError("bad_response", `GitHub's token endpoint answered ${status}`, { status });
  }
  return new GitHubError("bad_response", "Unexpected failure exchanging the GitHub code", { cause: error });
}

function oauthError(code: string): GitHubError {
  if (code === "bad_verification_code")
    return new GitHubError("bad_code", "GitHub says the code is incorrect or expired");
  if (code === "access_denied") return new GitHubError("denied", "Access to GitHub was denied");
  // incorrect_client_credentials, redirect_uri_mismatch…: our configuration is wrong, not the person's doing.
  log.error("GitHub refused the token request", { oauthError: code });
  return new GitHubError("bad_response", `GitHub refused the token request: ${code}`);
}

// ---------------------------------------------------------------------------------------------
// REST API

async function callApi<T>(token: string, path: string, schema: z.ZodType<T>): Promise<T> {
  const url = `${env().github.apiUrl}${path}`;
  let response: Response;
  let body: unknown;
  try {
    response = await fetch(url, {
      headers: {
        Accept: "application/vnd.github+json",
        Authorization: `Bearer ${token}`,
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "roadies",
      },
      signal: AbortSignal.timeout(githubTimeouts.requestMs),
      redirect: "follow",
    });
    body = response.ok ? await response.json() : await response.text().catch(() => "");
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new GitHubError("bad_response", `GitHub answered ${path} with invalid JSON`);
    // fetch failed, TimeoutError or AbortError: all mean we could not get an answer.
    throw new GitHubError("unreachable", `Could not reach GitHub for ${path}`, { cause: error });
  }
  if (!response.ok) throw statusError(response, path);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    log.warn("unexpected GitHub answer", {
      path,
      issues: parsed.error.issues.slice(0, 5).map((i) => i.path.join(".")),
    });
    throw new GitHubError("bad_response", `GitHub's answer for ${path} has an unexpected shape`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

function statusError(response: Response, path: string): GitHubError {
  const status = response.status;
  const headers = response.headers;
  // Primary limits: 403/429 with x-ratelimit-remaining 0. Secondary limits: 403/429 with retry-after.
  const limited =
    status === 429 || (status === 403 && (headers.get("x-ratelimit-remaining") === "0" || headers.has("retry-after")));
  if (limited) {
    const retryAfter = Number(headers.get("retry-after"));
    const reset = Number(headers.get("x-ratelimit-reset"));
    const resetAt =
      retryAfter > 0 ? Date.now() + retryAfter * 1000 : reset > 0 ? reset * 1000 : Date.now() + DEFAULT_RETRY_MS;
    return new GitHubError("rate_limited", `GitHub rate limit reached for ${path}`, { status, resetAt });
  }
  if (status === 401) return new GitHubError("unauthorized", "GitHub rejected the access token", { status });
  if (status === 403) return new GitHubError("denied", `GitHub forbade ${path}`, { status });
  if (status === 404 || status === 410) return new GitHubError("not_found", `GitHub has no ${path}`, { status });
  if (status >= 500) return new GitHubError("unreachable", `GitHub answered ${status} for ${path}`, { status });
  return new GitHubError("bad_response", `GitHub answered ${status} for ${path}`, { status });
}

const timestamp = z.string().transform((value, ctx) => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: "not a timestamp" });
    return z.NEVER;
  }
  return ms;
});

const userSchema = z.object({
  id: z.number().int().positive(),
  login: z.string().min(1),
  name: z.string().nullish(),
  avatar_url: z.string().nullish(),
  created_at: timestamp,
});

const emailsSchema = z.array(
  z.object({
    email: z.string(),
    primary: z.boolean(),
    verified: z.boolean(),
  }),
);

export type GitHubIdentity = {
  id: number;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  /** When the GitHub account was created, in ms. */
  createdAt: number;
  /** The primary address, only if GitHub has verified it; otherwise null. */
  email: string | null;
};

/** Who the token belongs to. */
export async function fetchGitHubIdentity(token: string): Promise<GitHubIdentity> {
  const [user, emails] = await Promise.all([
    callApi(token, "/user", userSchema),
    // Only /user/emails says whether an address is verified; /user's `email` is just the public one.
    callApi(token, "/user/emails", emailsSchema).catch((error: unknown) => {
      // A token without the user:email scope gets 404 here; sign-in still works without an address.
      if (error instanceof GitHubError && (error.kind === "not_found" || error.kind === "denied")) return [];
      throw error;
    }),
  ]);
  const primary = emails.find((e) => e.primary && e.verified);
  return {
    id: user.id,
    login: user.login,
    name: user.name || null,
    avatarUrl: user.avatar_url || null,
    createdAt: user.created_at,
    email: primary?.email ?? null,
  };
}

const repositorySchema = z.object({
  full_name: z.string(),
  html_url: z.string(),
  description: z.string().nullish(),
  archived: z.boolean(),
  private: z.boolean(),
  stargazers_count: z.number().int().nonnegative(),
  open_issues_count: z.number().int().nonnegative(),
  pushed_at: timestamp.nullish(),
  default_branch: z.string(),
  license: z.object({ spdx_id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  permissions: z
    .object({
      admin: z.boolean(),
      maintain: z.boolean().optional(),
      push: z.boolean(),
      triage: z.boolean().optional(),
      pull: z.boolean(),
    })
    .optional(),
});

export type GitHubRepository = {
  fullName: string;
  htmlUrl: string;
  description: string | null;
  archived: boolean;
  private: boolean;
  stargazers: number;
  openIssues: number;
  pushedAt: number | null;
  defaultBranch: string;
  /** SPDX id ("BSD-3-Clause"), or the license's name when GitHub cannot tell (NOASSERTION). */
  license: string | null;
  /** What the token's user may do in this repository. */
  permissions: { admin: boolean; maintain: boolean; push: boolean; triage: boolean; pull: boolean };
};

// GitHub's rules for names; checking them first keeps odd input from reaching other API paths.
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;

export async function fetchRepository(token: string, owner: string, repo: string): Promise<GitHubRepository> {
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === "." || repo === "..") {
    throw new GitHubError("not_found", "Not a valid GitHub repository name");
  }
  const r = await callApi(token, `/repos/${owner}/${repo}`, repositorySchema);
  const p = r.permissions;
  const spdx = r.license?.spdx_id;
  return {
    fullName: r.full_name,
    htmlUrl: r.html_url,
    description: r.description || null,
    archived: r.archived,
    private: r.private,
    stargazers: r.stargazers_count,
    openIssues: r.open_issues_count,
    pushedAt: r.pushed_at ?? null,
    defaultBranch: r.default_branch,
    license: spdx && spdx !== "NOASSERTION" ? spdx : (r.license?.name ?? null),
    // Without permissions in the answer we assume nothing beyond what the repo's visibility gives.
    permissions: p
      ? {
          admin: p.admin,
          maintain: p.maintain ?? p.admin,
          push: p.push,
          triage: p.triage ?? p.push,
          pull: p.pull,
        }
      : { admin: false, maintain: false, push: false, triage: false, pull: !r.private },
  };
}

// [trust] The successor's role on a package's repository, read before a transfer completes.

/** A person's role on a repository, as GitHub names it (`role_name`); "none" when they have no access. */
export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

const collaboratorPermissionSchema = z.object({
  /** The legacy base role: admin, write, read or none. */
  permission: z.string(),
  /** The role itself, custom roles included; older servers leave it out. */
  role_name: z.string().nullish(),
});

const ROLES: readonly RepositoryRole[] = ["admin", "maintain", "write", "triage", "read", "none"];

/**
 * GET /repos/{owner}/{repo}/collaborators/{username}/permission: `username`'s role on the
 * repository, asked with `token` (GitHub answers only someone who can push to it).
 * @throws GitHubError (denied: the token's user cannot push; not_found: no such repository for them)
 */
export async function fetchCollaboratorRole(
  token: string,
  owner: string,
  repo: string,
  username: string,
): Promise<RepositoryRole> {
  if (!OWNER.test(owner) || !REPO.test(repo) || repo === "." || repo === ".." || !OWNER.test(username)) {
    throw new GitHubError("not_found", "Not a valid GitHub repository or login");
  }
  const answer = await callApi(
    token,
    `/repos/${owner}/${repo}/collaborators/${username}/permission`,
    collaboratorPermissionSchema,
  );
  const role = (answer.role_name ?? answer.permission).toLowerCase();
  // A custom role GitHub does not name here is judged by its base role.
  if (ROLES.includes(role as RepositoryRole)) return role as RepositoryRole;
  return ROLES.includes(answer.permission as RepositoryRole) ? (answer.permission as RepositoryRole) : "none";
}
