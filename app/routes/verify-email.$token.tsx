// /verify-email/:token, the link sent to an address a person added. GET only shows which address
// and account it confirms (mail scanners follow links); POST verifies it. The signed token is the
// authentication, so it works in a browser that is not signed in. A forged, expired or used-up link
// (the address was removed) is a 404 that changes nothing.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeVerification, verifyAddress } from "#app/models/people/emails.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [
  { title: "Confirm your email address · Roadies" },
  { name: "robots", content: "noindex" },
];

const INVALID_LINK =
  "This verification link is not valid: it may have expired (links work for 24 hours). Send a new one from your email settings.";

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await describeVerification(params.token ?? "");
  if (!target) throw notFound(INVALID_LINK);
  return target;
}

export async function action({ params }: ActionFunctionArgs) {
  const done = await verifyAddress(params.token ?? "");
  if (!done) throw notFound(INVALID_LINK);
  return { done: true as const, address: done.address };
}

export default function VerifyEmail() {
  const { login, address, verified } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.done || verified) {
    return (
      <section className="stack narrow">
        <h1>Address verified</h1>
        <p role="status">
          {address} is verified for @{login}. Choose whether Roadies&rsquo; email goes to it in your{" "}
          <Link to="/settings/email">email settings</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>Confirm your email address</h1>
      <p>
        Confirm that <strong>{address}</strong> belongs to @{login} on Roadies. Nothing is sent to it until you do.
      </p>
      <Form method="post">
        <button type="submit" className="button">
          Confirm {address}
        </button>
      </Form>
      <p className="muted">Did not add this address? Close this page: nothing changes.</p>
    </section>
  );
}
