// /unsubscribe/:token, the link in every digest and every other periodic email. The token names one
// person and one kind of email. GET only shows what will stop (mail scanners follow links); POST
// switches that kind off, and only it, from the button here or as an RFC 8058 one-click POST from
// the mail client, which carries no session and no Origin: the signed token is the authentication.
import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeUnsubscribe, unsubscribeWithToken } from "#app/models/digest/digest.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Roadies" }, { name: "robots", content: "noindex" }];

const INVALID_LINK =
  "This unsubscribe link is not valid. Open the notification settings to choose which emails you get.";

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await describeUnsubscribe(params.token ?? "");
  if (!target) throw notFound(INVALID_LINK);
  return {
    login: target.login,
    alreadyUnsubscribed: target.alreadyUnsubscribed,
    kind: target.kind,
    label: target.label,
  };
}

export async function action({ params }: ActionFunctionArgs) {
  const target = await unsubscribeWithToken(params.token ?? "");
  if (!target) throw notFound(INVALID_LINK);
  return { done: true as const, login: target.login };
}

export default function Unsubscribe() {
  const { login, alreadyUnsubscribed, kind, label } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const digest = kind === "digest";
  if (result?.done || alreadyUnsubscribed) {
    return (
      <section className="stack narrow">
        <h1>You are unsubscribed</h1>
        <p role="status">
          {digest
            ? `@${login} will get no more match digests.`
            : `@${login} will get no more emails of this kind: ${label.toLowerCase()}.`}{" "}
          Other emails about things you do on Roadies (answers to your calls, applications) still arrive.
        </p>
        <p>
          Changed your mind? Turn it back on in your <Link to="/settings/notifications">notification settings</Link>.
        </p>
      </section>
    );
  }
  return (
    <section className="stack narrow">
      <h1>{digest ? "Unsubscribe from the match digest?" : `Stop emails of this kind: ${label.toLowerCase()}?`}</h1>
      <p>
        {digest
          ? `@${login} will stop getting the weekly match digest: the email with calls, people and mentoring projects that fit your profile.`
          : `@${login} will stop getting these emails (${label.toLowerCase()}).`}{" "}
        Nothing else about your account changes.
      </p>
      <Form method="post">
        <button type="submit" className="button">
          Unsubscribe
        </button>
      </Form>
      <p className="muted">
        {digest ? (
          <>
            Prefer fewer emails instead?{" "}
            <Link to="/settings/notifications">Choose every 2 or 4 weeks, or pause it</Link>.
          </>
        ) : (
          <>
            Every kind of email has its own switch in your{" "}
            <Link to="/settings/notifications">notification settings</Link>.
          </>
        )}
      </p>
    </section>
  );
}
