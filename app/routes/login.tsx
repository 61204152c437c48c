import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { safeRedirectPath } from "#app/utils/redirects.ts";

export const meta: MetaFunction = () => [{ title: "Sign in · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const next = safeRedirectPath(new URL(request.url).searchParams.get("next"));
  if (await getCurrentUser(request)) throw redirect(next);
  return { next };
}

export default function Login() {
  const { next } = useLoaderData<typeof loader>();
  return (
    <section className="narrow stack">
      <h1>Sign in</h1>
      {next !== "/" ? (
        <p className="alert" role="status">
          The page you opened needs you to sign in. You will be back on it right after.
        </p>
      ) : null}
      <p>
        Roadies uses your GitHub account, so maintainers can prove which packages they look after and everyone knows who
        they are talking to.
      </p>
      <Form method="post" action="/auth/github" reloadDocument>
        <input type="hidden" name="next" value={next} />
        <button type="submit" className="button">
          Sign in with GitHub
        </button>
      </Form>
      <p className="muted">
        We read your public profile and your primary verified email address. We never post to GitHub on your behalf.
      </p>
    </section>
  );
}
