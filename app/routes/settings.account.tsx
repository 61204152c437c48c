// /settings/account: download your data; delete your account.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "#app/models/people/auth.server.ts";
import { sessionClearCookie } from "#app/models/people/sessions.server.ts";
import { deleteAccount } from "#app/models/people/account.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Your account · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { login: user.login };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readFormData(request);
  // One form, one intent: anything else is not this page's.
  invariantResponse(form.get("intent") === "delete", "Unknown action.");
  const confirm = String(form.get("confirm") ?? "")
    .trim()
    .replace(/^@/, "");
  if (confirm.toLowerCase() !== user.login.toLowerCase()) {
    return data({ error: `Type your login, ${user.login}, to confirm.`, confirm }, { status: 400 });
  }
  await deleteAccount(user.id);
  return redirect("/?account-deleted=1", { headers: { "Set-Cookie": sessionClearCookie() } });
}

export default function Account() {
  const { login } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section className="stack narrow">
      <h1>Your account</h1>
      <section className="card stack" aria-labelledby="export-title">
        <h2 id="export-title">Download your data</h2>
        <p>
          Everything Roadies holds about you, as one JSON file: profile, skills, terms, votes, calls, interests and
          more.
        </p>
        <p>
          <a href="/settings/account/export" className="button button-secondary" download>
            Download my data (JSON)
          </a>
        </p>
      </section>
      <section className="card stack" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete your account</h2>
        <p>
          Your profile, skills, sessions, terms and personal details are removed for good. Calls you posted stay with
          their package, shown as posted by &ldquo;a former maintainer&rdquo;; your votes stay counted, anonymously.
        </p>
        <Form method="post" className="stack">
          <div className="field">
            <label htmlFor="confirm">Type your login ({login}) to confirm</label>
            <input
              type="text"
              id="confirm"
              name="confirm"
              autoComplete="off"
              defaultValue={result?.confirm ?? ""}
              {...(result?.error ? { "aria-invalid": true, "aria-describedby": "confirm-error" } : {})}
            />
            {result?.error ? (
              <p id="confirm-error" className="field-error">
                {result.error}
              </p>
            ) : null}
          </div>
          <button type="submit" name="intent" value="delete" className="button button-danger">
            Delete my account
          </button>
        </Form>
      </section>
      <p>
        <Link to="/settings/profile">Your volunteer profile</Link>
      </p>
    </section>
  );
}
