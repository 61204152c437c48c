// POST /auth/github: remember a fresh OAuth state and send the person to GitHub.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { githubAuthorizationUrl } from "#app/utils/github.server.ts";
import { startOAuthState } from "#app/utils/oauth-state.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export async function action({ request }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const { state, setCookie } = await startOAuthState(String(form.get("next") ?? "/"));
  return redirect(githubAuthorizationUrl(state).toString(), { status: 302, headers: { "Set-Cookie": setCookie } });
}

export const loader = () => redirect("/login");
