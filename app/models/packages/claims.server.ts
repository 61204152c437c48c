// Checking a claim to maintain a package: GitHub says the person holds admin or maintain on the
// repository (with their own token), and PyPI links the project to that repository (proof.server.ts).
// Both are needed for a verified maintainer; the first alone makes a "claimed, unconfirmed" link.
import { decryptSecret } from "#app/utils/crypto.server.ts";
import { fetchRepository, GitHubError } from "#app/utils/github.server.ts";
import { log } from "#app/utils/log.server.ts";
import { findProof } from "#app/models/packages/proof.server.ts";
import type { MaintainerProof, User } from "#db/schema.ts";

/** Answers for the person adding a package or confirming their access, in the product's words. */
export type PackageProblem =
  | "no_permission" // GitHub says they may only push, triage or read
  | "repo_not_found"
  | "github_down"
  | "github_rate_limited"
  | "pypi_down"
  | "no_proof" // PyPI does not link the project to the repository
  | "sign_in_again"; // no usable token: their GitHub authorisation was revoked or never stored

export const packageProblemMessages: Record<PackageProblem, string> = {
  no_permission:
    "GitHub says you do not have the admin or maintain role on this repository, so Roadies cannot list you as its maintainer. Ask a maintainer with admin access to add the package and then add you.",
  repo_not_found:
    "GitHub has no repository with that name that your account can see. Check the owner and the name (private repositories are hidden from accounts without access).",
  github_down: "GitHub could not be reached just now. Nothing was saved: please try again in a minute.",
  github_rate_limited: "GitHub is limiting how often we may ask. Nothing was saved: please try again in a few minutes.",
  pypi_down: "PyPI could not be reached just now. Nothing was saved: please try again in a minute.",
  no_proof:
    "PyPI does not link this project to the repository: neither its project URLs nor its home page name it, and no recent release was published from it with Trusted Publishing.",
  sign_in_again: "Your GitHub authorisation has expired or was revoked. Sign out and sign in again, then retry.",
};

/**
 * Asks GitHub, with the person's own token, whether they hold admin or maintain on owner/name.
 * Returns the repository's canonical full name (GitHub follows a rename) and description when they do.
 */
export async function checkMaintainerPermission(
  user: Pick<User, "githubTokenEnc">,
  owner: string,
  name: string,
): Promise<{ ok: true; fullName: string; description: string | null } | { ok: false; problem: PackageProblem }> {
  const token = user.githubTokenEnc ? decryptSecret(user.githubTokenEnc) : null;
  if (!token) return { ok: false, problem: "sign_in_again" };
  try {
    const repo = await fetchRepository(token, owner, name);
    if (!repo.permissions.admin && !repo.permissions.maintain) return { ok: false, problem: "no_permission" };
    return { ok: true, fullName: repo.fullName, description: repo.description };
  } catch (error) {
    if (!(error instanceof GitHubError)) throw error;
    const problem: PackageProblem =
      error.kind === "not_found" || error.kind === "denied"
        ? "repo_not_found"
        : error.kind === "rate_limited"
          ? "github_rate_limited"
          : error.kind === "unauthorized"
            ? "sign_in_again"
            : "github_down";
    log.warn("GitHub permission check failed", { kind: error.kind, status: error.status });
    return { ok: false, problem };
  }
}

export type ClaimCheck =
  | {
      ok: true;
      fullName: string;
      description: string | null;
      proof: MaintainerProof | null;
      /** Why there is no proof: PyPI names another repository (or none), or has no such project. */
      unproven: "no_link" | "not_on_pypi" | null;
    }
  | { ok: false; problem: PackageProblem };

/**
 * Checks a claim of `user` on the PyPI project `pypiName` with the repository owner/name: the
 * GitHub permission (refused without it), then PyPI's proof (`proof: null` when PyPI does not link
 * them: the claim can only be "claimed, unconfirmed").
 */
export async function checkClaim(
  user: Pick<User, "githubTokenEnc">,
  pypiName: string,
  repository: { owner: string; name: string },
): Promise<ClaimCheck> {
  const permission = await checkMaintainerPermission(user, repository.owner, repository.name);
  if (!permission.ok) return permission;
  // The name typed (or stored) counts as well when GitHub redirected it: it is the same repository.
  const found = await findProof(pypiName, [permission.fullName, `${repository.owner}/${repository.name}`]);
  if (found.ok) return { ...permission, proof: found.proof, unproven: null };
  if (found.reason === "pypi_down") return { ok: false, problem: "pypi_down" };
  return { ...permission, proof: null, unproven: found.reason };
}
