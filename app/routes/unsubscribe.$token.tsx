// /unsubscribe/:token, the link in every digest. GET only shows what will stop (mail scanners follow
// links); POST unsubscribes, from the button here or as an RFC 8058 one-click POST from the mail
// client, which carries no session and no Origin: the signed token is the authentication.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeUnsubscribe, unsubscribeWithToken } from "#app/models/digest/digest.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [
  { title: "Unsubscribe from the digest · Roadies" },
  { name: "robots", content: "noindex" },
];

const INVALID_LINK = "This unsubscribe link is not valid. Open the notification settings to stop the digest.";

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await describeUnsubscribe(params.token ?? "");
  if (!target) throw notFound(INVALID_LINK);
  return { login: target.login, alreadyUnsubscribed: target.alreadyUnsubscribed };
}

export async function action({ params }: ActionFunctionArgs) {
  const target = await unsubscribeWithToken(params.token ?? "");
  if (!target) throw notFound(INVALID_LINK);
  return { done: true as const, login: target.login };
}

export default function Unsubscribe() {
  const { login, alreadyUnsubscribed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.done || alreadyUnsubscribed) {
    return (
      <section className="stack narrow">
        <h1>You are unsubscribed</h1>
        <p role="status">
          @{login} will get no more match digests. Other emails about things you do on Roadies (answers to your calls,
          applications) still arrive.
        </p>
        <p>
          Changed your mind? Turn the digest back on in your{" "}
          <Link to="/settings/notifications">notification settings</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>Unsubscribe from the match digest?</h1>
      <p>
        @{login} will stop getting the weekly match digest: the email with calls, people and mentoring projects that fit
        your profile. Nothing else about your account changes.
      </p>
      <Form method="post">
        <button type="submit" className="button">
          Unsubscribe
        </button>
      </Form>
      <p className="muted">
        Prefer fewer emails instead? <Link to="/settings/notifications">Choose every 2 or 4 weeks, or pause it</Link>.
      </p>
    </section>
  );
}
