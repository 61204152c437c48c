// GET /auth/github/callback: GitHub sends the person back here with `code` and `state`.
import { data, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { exchangeGitHubCode, fetchGitHubIdentity, GitHubError } from "#app/utils/github.server.ts";
import { checkOAuthState, clearOAuthState } from "#app/utils/oauth-state.server.ts";
import { createSession, deleteSession, sessionSetCookie } from "#app/models/people/sessions.server.ts";
import { getCurrentSession } from "#app/models/people/auth.server.ts";
import { upsertUserFromGitHub } from "#app/models/people/users.server.ts";
import { confirmMaintainershipsAfterSignIn } from "#app/models/packages/maintainers.server.ts";
import { sendWelcomeEmail } from "#app/models/people/welcome.server.ts";
import { isSuspended } from "#app/models/people/suspension.server.ts";
import { errorFields, log } from "#app/utils/log.server.ts";

export const meta: MetaFunction = () => [{ title: "Signing in · Roadies" }];

type Problem = "cancelled" | "state" | "code" | "github" | "suspended";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const headers = new Headers({ "Set-Cookie": clearOAuthState(), "Cache-Control": "no-store" });
  const fail = (problem: Problem, status: number) => data({ problem }, { status, headers });

  if (url.searchParams.get("error")) return fail("cancelled", 400);
  const code = url.searchParams.get("code");
  const checked = await checkOAuthState(request, url.searchParams.get("state"));
  if (!code || !checked) return fail("state", 400);

  let identity;
  let token;
  try {
    token = await exchangeGitHubCode(code);
    identity = await fetchGitHubIdentity(token);
  } catch (error) {
    if (error instanceof GitHubError && error.kind === "bad_code") return fail("code", 400);
    log.warn("github sign-in failed", {
      kind: error instanceof GitHubError ? error.kind : "unexpected",
      ...errorFields(error),
    });
    return fail("github", 502);
  }

  const { user, created } = await upsertUserFromGitHub(identity, token);
  if (await isSuspended(user)) {
    log.info("suspended account refused sign-in", { userId: user.id });
    return fail("suspended", 403);
  }
  // Whatever session this browser carried before (planted or stale) ends here: a sign-in always
  // rotates to a fresh token, so no token known before sign-in is worth anything after it.
  const previous = await getCurrentSession(request);
  if (previous) await deleteSession(previous.session.id);
  const { token: sessionToken } = await createSession(user.id, request.headers.get("user-agent"));
  headers.append("Set-Cookie", sessionSetCookie(sessionToken));
  log.info("signed in", { userId: user.id, login: user.login, created });
  if (created) {
    // The welcome email must not hold up sign-in; its delivery record makes it once-only.
    void sendWelcomeEmail(user).catch((error: unknown) =>
      log.error("welcome email failed", { userId: user.id, ...errorFields(error) }),
    );
  }
  // [calls] Maintainers invited by login become verified once GitHub confirms their permission.
  await confirmMaintainershipsAfterSignIn(user).catch((error: unknown) =>
    log.error("maintainer confirmation failed", { userId: user.id, ...errorFields(error) }),
  );
  return redirect(checked.next, { headers });
}

const messages: Record<Problem, { title: string; body: string }> = {
  cancelled: {
    title: "Sign-in was cancelled",
    body: "GitHub did not let us sign you in, usually because the request was cancelled. Nothing was changed.",
  },
  state: {
    title: "This sign-in link has expired",
    body: "The sign-in could not be matched to this browser: it may have expired, been used already, or been started elsewhere. Nothing was changed.",
  },
  code: {
    title: "GitHub did not accept the sign-in",
    body: "GitHub said the sign-in code was wrong or had expired. Nothing was changed.",
  },
  suspended: {
    title: "This account is suspended",
    body: "The Roadies working group has suspended this account, so it cannot sign in. If you think this is a mistake, write to the working group.",
  },
  github: {
    title: "We could not reach GitHub",
    body: "GitHub did not answer as expected, so we could not sign you in. Nothing was changed. Please try again in a minute.",
  },
};

export default function SignInProblem() {
  const { problem } = useLoaderData<typeof loader>();
  const message = messages[problem];
  return (
    <section className="narrow stack">
      <h1>{message.title}</h1>
      <p>{message.body}</p>
      <Form method="post" action="/auth/github" reloadDocument>
        <button type="submit" className="button">
          Try signing in again
        </button>
      </Form>
      <p>
        <Link to="/">Back to the home page</Link>
      </p>
    </section>
  );
}
