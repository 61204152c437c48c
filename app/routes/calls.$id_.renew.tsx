// The one-click renewal link from the expiry reminder: GET shows what it will do (mail scanners
// follow links), POST keeps the call open 90 more days. Works without signing in.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { checkRenewalToken, renewCall, type RenewalCheck } from "#app/models/calls/expiry.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export const meta: MetaFunction = () => [
  { title: "Keep the call open · Roadies" },
  { name: "robots", content: "noindex" },
];

const reasons = {
  invalid: "This link is not valid or has expired. Sign in to edit the call's expiry date instead.",
  finished: "This call is already filled or closed.",
  already: "This link was already used (or the expiry date changed since it was sent).",
} as const;

function view(check: RenewalCheck) {
  return check.ok
    ? {
        ok: true as const,
        title: check.call.title,
        id: check.call.id,
        expiresOn: check.call.expiresOn,
        newExpiresOn: check.newExpiresOn,
      }
    : { ok: false as const, reason: reasons[check.reason] };
}

async function checked(request: Request, rawId: string | undefined, token: string) {
  const check = await checkRenewalToken(token);
  // The token names its call; a token for another call under this URL is simply invalid.
  if (check.ok && String(check.call.id) !== rawId) return { ok: false as const, reason: "invalid" as const };
  return check;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const check = await checked(request, params.id, token);
  return data({ token, ...view(check) }, { status: check.ok ? 200 : 410, headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readFormData(request);
  const token = String(form.get("token") ?? "");
  const check = await checked(request, params.id, token);
  if (!check.ok) return data({ done: false as const, reason: reasons[check.reason] }, { status: 410 });
  const result = await renewCall(token);
  if (!result.ok) return data({ done: false as const, reason: reasons[result.reason] }, { status: 410 });
  return { done: true as const, newExpiresOn: result.newExpiresOn, id: result.call.id };
}

export default function RenewCall() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.done) {
    return (
      <section className="stack narrow">
        <h1>The call stays open</h1>
        <p role="status">
          It is now open until {result.newExpiresOn}. <Link to={`/calls/${result.id}`}>See the call</Link>
        </p>
      </section>
    );
  }
  if (result && !result.done) {
    return (
      <section className="stack narrow">
        <h1>The call could not be renewed</h1>
        <p>{result.reason}</p>
      </section>
    );
  }
  if (!d.ok) {
    return (
      <section className="stack narrow">
        <h1>This link cannot be used</h1>
        <p>{d.reason}</p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>Keep “{d.title}” open?</h1>
      <p>
        It expires on {d.expiresOn}. Keeping it open moves the expiry to {d.newExpiresOn}.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={d.token} />
        <button type="submit" className="button">
          Keep it open 90 more days
        </button>
      </Form>
      <p>
        Found someone, or no longer need help? <Link to={`/calls/${d.id}/manage`}>Close the call</Link> (sign-in
        needed).
      </p>
    </section>
  );
}
