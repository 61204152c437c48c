// /terms/renew?token=…: the one-click "stay on for another term" from the renewal email. GET
// shows a confirmation (mail scanners follow links); POST renews. No sign-in needed.
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { describeRenewal, renewWithToken } from "#app/models/people/terms.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Stay on for another term · Roadies" }];

const roleWords = { roadie: "roadie", working_group: "working-group member" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const info = token ? await describeRenewal(token) : null;
  const headers = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" };
  if (!info)
    return data({ state: "invalid" as const, token: "", role: null, termEndsAt: null }, { status: 400, headers });
  return data(
    {
      state: info.renewed ? ("done" as const) : info.usable ? ("ready" as const) : ("ended" as const),
      token,
      role: roleWords[info.membership.role],
      termEndsAt: info.membership.termEndsAt,
    },
    { headers },
  );
}

export async function action({ request }: ActionFunctionArgs) {
  const token = String((await readFormData(request)).get("token") ?? "");
  const result = await renewWithToken(token);
  if (!result.ok) return data({ ok: false as const, termEndsAt: null }, { status: 400 });
  return { ok: true as const, termEndsAt: result.termEndsAt };
}

export default function RenewTerm() {
  const info = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (result?.ok) {
    return (
      <section className="narrow stack">
        <h1>Thank you for staying on</h1>
        <p>Your new term runs until {formatDate(result.termEndsAt)}. We will remind you again before it ends.</p>
        <p>
          <Link to="/roadies">Back to Roadies</Link>
        </p>
      </section>
    );
  }
  if (info.state !== "ready" || result) {
    return (
      <section className="narrow stack">
        <h1>This link cannot renew a term</h1>
        <p>
          {info.state === "done"
            ? "This term was already renewed with this link: nothing more to do."
            : info.state === "ended"
              ? "This term has already ended. You are welcome to apply again."
              : "The link is broken or has expired. If your term is still running, use the newest reminder email, or step down or stay on from your profile settings."}
        </p>
        <p>
          <Link to="/settings/profile">Your profile settings</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow stack">
      <h1>Stay on for another term?</h1>
      <p>
        Your term as a {info.role} ends on {formatDate(info.termEndsAt!)}. Staying on adds six months.
      </p>
      <Form method="post">
        <input type="hidden" name="token" value={info.token} />
        <button type="submit" className="button">
          Stay on for another term
        </button>
      </Form>
    </section>
  );
}
