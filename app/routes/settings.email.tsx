// /settings/email: the address GitHub reported, the ones the person added (each verified by a link
// sent to it), and which verified one receives Roadies' email. Removing an address is confirmed on
// `?remove=ID`. Plain forms: everything works without JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { useNotices } from "#app/components/notices.ts";
import { requireUser } from "#app/models/people/auth.server.ts";
import {
  addAddress,
  chooseAddress,
  listAddresses,
  removeAddress,
  resendVerification,
} from "#app/models/people/emails.server.ts";
import {
  addAddressSchema,
  addressIdSchema,
  chooseAddressSchema,
  MAX_ADDED_ADDRESSES,
} from "#app/models/people/email-forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Email addresses · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const overview = await listAddresses(user.id);
  const removeParam = new URL(request.url).searchParams.get("remove");
  const removing = removeParam ? (overview.added.find((a) => String(a.id) === removeParam) ?? null) : null;
  return { ...overview, removing, max: MAX_ADDED_ADDRESSES };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "add":
      return add(user.id, formData);
    case "resend":
      return withAddressId(formData, (id) => resendVerification(user.id, id), "sent");
    case "remove":
      return withAddressId(formData, (id) => removeAddress(user.id, id), "removed");
    case "choose":
      return choose(user.id, formData);
    default:
      invariantResponse(false, "Unknown action.");
  }
}

async function add(userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: addAddressSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await addAddress(userId, submission.value.address);
  if (!result.ok)
    return data(
      submission.reply(
        result.field ? { fieldErrors: { address: [result.message] } } : { formErrors: [result.message] },
      ),
      { status: 400 },
    );
  return redirect("/settings/email?saved=added");
}

async function withAddressId(
  formData: FormData,
  change: (id: number) => Promise<{ ok: true } | { ok: false; message: string }>,
  notice: string,
) {
  const submission = parseWithZod(formData, { schema: addressIdSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await change(submission.value.id);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 400 });
  return redirect(`/settings/email?saved=${notice}`);
}

async function choose(userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: chooseAddressSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { choice } = submission.value;
  const result = await chooseAddress(userId, choice === "github" ? "github" : Number(choice));
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 400 });
  return redirect("/settings/email?saved=chosen");
}

const notices: Record<string, string> = {
  added: "We sent a link to that address. Follow it within 24 hours to verify the address.",
  sent: "We sent a new link. Follow it within 24 hours to verify the address.",
  removed: "The address is removed.",
  chosen: "Saved: Roadies' email goes to the address you chose.",
};

export default function EmailSettings() {
  const { github, added, delivery, removing, max } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const params = useNotices(useSearchParams()[0]);
  const saved = params.get("saved");
  const [form, fields] = useSchemaForm(addAddressSchema, { id: "add-address", lastResult: replyFor(reply, "add") });
  const verified = added.filter((a) => a.verifiedAt !== null);
  const chosenId = verified.find((a) => a.forNotifications)?.id;
  const otherErrors = reply && reply.initialValue?.intent !== "add" ? reply.error?.[""] : undefined;

  if (removing) {
    return (
      <section className="stack narrow">
        <h1>Remove {removing.address}?</h1>
        <p>
          Roadies will stop sending email to this address.{" "}
          {removing.forNotifications
            ? "It is the address your email goes to now: email will go to your GitHub address instead, if GitHub gave us one."
            : null}{" "}
          You can add it again later; it will need a new verification.
        </p>
        <Form method="post" action="/settings/email" className="actions">
          <input type="hidden" name="id" value={removing.id} />
          <button type="submit" name="intent" value="remove" className="button button-danger">
            Remove this address
          </button>
          <Link to="/settings/email" className="button button-secondary">
            Keep it
          </Link>
        </Form>
      </section>
    );
  }

  return (
    <section className="stack narrow">
      <h1>Email addresses</h1>
      {saved && notices[saved] ? (
        <div className="alert" role="status">
          <p>{notices[saved]}</p>
        </div>
      ) : null}
      <FormErrors errors={otherErrors} />
      <p>
        {delivery ? (
          <>
            Roadies&rsquo; email goes to <strong>{delivery}</strong>. Which emails you get is set in your{" "}
            <Link to="/settings/notifications">notification settings</Link>.
          </>
        ) : (
          <>
            GitHub gave us no verified address for you, so no email can reach you. Add an address below and follow the
            link we send to it.
          </>
        )}{" "}
        Nobody else on Roadies sees these addresses.
      </p>

      <section className="stack" aria-labelledby="choose-heading">
        <h2 id="choose-heading">Where your email goes</h2>
        {verified.length === 0 ? (
          <p className="muted">
            {github
              ? `Everything goes to ${github}, your primary address on GitHub. Add and verify another address to choose it instead.`
              : "Once you verify an address you added, your email goes there."}
          </p>
        ) : (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="choose" />
            <fieldset>
              <legend>Send Roadies&rsquo; email to</legend>
              {github ? (
                <div className="field-checkbox">
                  <input
                    type="radio"
                    id="choice-github"
                    name="choice"
                    value="github"
                    defaultChecked={chosenId === undefined}
                  />
                  <label htmlFor="choice-github">{github} (your primary address on GitHub)</label>
                </div>
              ) : null}
              {verified.map((a, i) => (
                <div className="field-checkbox" key={a.id}>
                  <input
                    type="radio"
                    id={`choice-${a.id}`}
                    name="choice"
                    value={String(a.id)}
                    defaultChecked={chosenId === a.id || (!github && chosenId === undefined && i === 0)}
                  />
                  <label htmlFor={`choice-${a.id}`}>{a.address}</label>
                </div>
              ))}
            </fieldset>
            <div>
              <button type="submit" className="button">
                Save where email goes
              </button>
            </div>
          </Form>
        )}
      </section>

      <section className="stack" aria-labelledby="added-heading">
        <h2 id="added-heading">Addresses you added</h2>
        {added.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="stack email-address-list">
            {added.map((a) => (
              <li key={a.id} className="email-address-item">
                <strong>{a.address}</strong>{" "}
                {a.verifiedAt !== null ? (
                  <span className="tag">Verified {formatDate(a.verifiedAt)}</span>
                ) : (
                  <span className="tag tag-warning">Not verified yet</span>
                )}
                <div className="actions">
                  {a.verifiedAt === null ? (
                    <Form method="post">
                      <input type="hidden" name="id" value={a.id} />
                      <button
                        type="submit"
                        name="intent"
                        value="resend"
                        className="button button-secondary"
                        aria-label={`Send a new verification link to ${a.address}`}
                      >
                        Send a new link
                      </button>
                    </Form>
                  ) : null}
                  <Link
                    to={`/settings/email?remove=${a.id}`}
                    className="button button-secondary"
                    aria-label={`Remove ${a.address}`}
                  >
                    Remove
                  </Link>
                </div>
              </li>
            ))}
          </ul>
        )}
        {added.length < max ? (
          <Form method="post" {...getFormProps(form)} className="stack">
            <input type="hidden" name="intent" value="add" />
            <FormErrors errors={form.errors} />
            <Field
              field={fields.address}
              label="Add an email address"
              hint="We send a link to it; it receives nothing else until you follow the link."
            >
              {(aria) => <input {...getInputProps(fields.address, { type: "email" })} autoComplete="email" {...aria} />}
            </Field>
            <div>
              <button type="submit" className="button">
                Add and send the link
              </button>
            </div>
          </Form>
        ) : (
          <p className="muted">You have added {max} addresses, the most there can be. Remove one to add another.</p>
        )}
      </section>
    </section>
  );
}
