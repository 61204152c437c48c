// /settings/notifications: every kind of email Roadies sends, each with its switch (or why it has
// none); how often the match digest comes, a pause, its sections and its day; and, when the address
// bounced or complained, the way to receive email again. Plain forms: they work without JavaScript.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useNotices } from "#app/components/notices.ts";
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, replyFor, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getPreferences, savePreferences, setDigestOn } from "#app/models/digest/digest.server.ts";
import { reenableAddress, suppressionFor } from "#app/utils/email-suppressions.server.ts";
import { saveSwitches, switchedOffKinds } from "#app/utils/email-preferences.server.ts";
import { addressFor } from "#app/utils/email-address.server.ts";
import {
  earliestPauseDay,
  emailSwitchesSchema,
  frequencyLabels,
  preferencesSchema,
  sectionLabels,
  weekdayLabels,
} from "#app/models/digest/preferences.ts";
import { emailCatalogue, emailKinds, type EmailKindInfo } from "#db/schema/notifications.ts";
import { digestFrequencies, digestSections } from "#db/schema/digest.ts";
import { listDismissedCalls } from "#app/models/calls/dismissals.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { formatDate } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Notifications · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Side by side; only the suppression waits, for the address it is about.
  const [{ address, suppression }, prefs, dismissed, off] = await Promise.all([
    addressFor(user.id).then(async (address) => ({ address, suppression: await suppressionFor(address) })),
    getPreferences(user.id),
    listDismissedCalls(user.id),
    switchedOffKinds(user.id),
  ]);
  const kinds = emailKinds.map((key) => {
    const info: EmailKindInfo = emailCatalogue[key];
    return {
      key,
      label: info.label,
      description: info.description,
      on: !off.includes(key),
      alwaysSentBecause: info.switchable === true ? null : info.switchable.reason,
    };
  });
  return { prefs, suppression, address, dismissed, kinds, earliestPause: earliestPauseDay() };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "reenable":
      return reenable(user.id);
    case "email-kinds":
      return saveEmailKinds(user.id, formData);
    default:
      // The preferences form sends no intent.
      return savePreferencesForm(user.id, formData);
  }
}

async function reenable(userId: number) {
  await reenableAddress(userId);
  return redirect("/settings/notifications?reenabled=1");
}

async function saveEmailKinds(userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: emailSwitchesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const { on } = submission.value;
  await saveSwitches(userId, on);
  // The digest's switch is its own preferences, so the form below and this one agree.
  await setDigestOn(userId, on.includes("digest"));
  return redirect("/settings/notifications?saved=emails");
}

async function savePreferencesForm(userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: preferencesSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await savePreferences(userId, submission.value);
  return redirect("/settings/notifications?saved=1");
}

type PreferencesForm = { frequency: string; pausedUntil: string; sections: string[]; dayOfWeek: string };

export default function NotificationSettings() {
  const { prefs, suppression, address, dismissed, kinds, earliestPause } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const params = useNotices(useSearchParams()[0]);
  const [form, fields] = useSchemaForm<typeof preferencesSchema, PreferencesForm>(preferencesSchema, {
    id: "notifications",
    lastResult: replyFor(reply, undefined),
    defaultValue: {
      frequency: prefs.unsubscribedAt !== null ? "off" : prefs.frequency,
      // A pause that has ended is no pause: the form starts empty rather than refuse its own value.
      pausedUntil: prefs.pausedUntil && prefs.pausedUntil >= earliestPause ? prefs.pausedUntil : "",
      sections: prefs.sections,
      dayOfWeek: String(prefs.dayOfWeek),
    },
  });
  const current = (field: { value?: unknown; initialValue?: unknown }) => field.value ?? field.initialValue;
  const frequency = String(current(fields.frequency) ?? "");
  const sectionsValue = current(fields.sections);
  const sections = new Set(
    Array.isArray(sectionsValue) ? (sectionsValue as string[]) : sectionsValue ? [String(sectionsValue)] : [],
  );

  return (
    <section className="stack narrow">
      <h1>Notifications</h1>
      {params.get("saved") === "emails" ? (
        <div className="alert" role="status">
          <p>Your email choices are saved.</p>
        </div>
      ) : params.get("saved") ? (
        <div className="alert" role="status">
          <p>Preferences saved. They apply from the next digest.</p>
        </div>
      ) : null}
      {params.get("reenabled") ? (
        <div className="alert" role="status">
          <p>Email to your address is on again.</p>
        </div>
      ) : null}
      {suppression ? (
        <div className="alert alert-error" role="alert">
          <p>
            {suppression.reason === "bounced"
              ? `Email to your address bounced on ${formatDate(suppression.since)}, so we stopped sending to it.`
              : `Your mail provider told us on ${formatDate(suppression.since)} that you marked our email as spam, so we stopped sending to it.`}{" "}
            If your address works again (or the report was a mistake), turn email back on.
          </p>
          <Form method="post">
            <button type="submit" name="intent" value="reenable" className="button">
              Send email to my address again
            </button>
          </Form>
        </div>
      ) : null}
      {address ? (
        <p>
          Emails go to <strong>{address}</strong>. <Link to="/settings/email">Add or choose another address</Link>.
        </p>
      ) : (
        <p className="alert">
          GitHub gave us no verified address for you, so no email can reach you yet.{" "}
          <Link to="/settings/email">Add an email address</Link>.
        </p>
      )}
      <EmailKinds kinds={kinds} reply={replyFor(reply, "email-kinds")} />
      <h2 id="digest">Match digest</h2>
      {prefs.unsubscribedAt !== null ? (
        <p className="alert" role="status">
          You unsubscribed from the digest on {formatDate(prefs.unsubscribedAt)}. Choose how often you want it and save
          to turn it back on.
        </p>
      ) : null}
      <p>
        The match digest is a short email with the calls, people and projects that fit your profile, each with the
        reasons it matches. It never repeats what it showed you in your last four digests unless it changed.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <fieldset aria-describedby={fields.frequency.errors ? fields.frequency.errorId : undefined}>
          <legend>How often</legend>
          {digestFrequencies.map((f) => (
            <div className="field-checkbox" key={f}>
              <input
                type="radio"
                id={`frequency-${f}`}
                name={fields.frequency.name}
                value={f}
                defaultChecked={frequency === f}
              />
              <label htmlFor={`frequency-${f}`}>{frequencyLabels[f]}</label>
            </div>
          ))}
          {fields.frequency.errors ? (
            <p id={fields.frequency.errorId} className="field-error">
              {fields.frequency.errors.join(" ")}
            </p>
          ) : null}
        </fieldset>

        <Field
          field={fields.dayOfWeek}
          label="Day of the week"
          hint="The digest goes out in the morning (UTC) of this day."
        >
          {(aria) => (
            <select {...getSelectProps(fields.dayOfWeek)} {...aria}>
              {weekdayLabels.map((label, i) => (
                <option key={label} value={String(i + 1)}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>

        <Field
          field={fields.pausedUntil}
          label="Pause until"
          hint="No digest up to and including this day. Leave empty to keep it going."
        >
          {(aria) => <input {...getInputProps(fields.pausedUntil, { type: "date" })} min={earliestPause} {...aria} />}
        </Field>

        <fieldset aria-describedby={fields.sections.errors ? fields.sections.errorId : undefined}>
          <legend>What the digest shows</legend>
          {digestSections.map((s) => (
            <div className="field-checkbox" key={s}>
              <input
                type="checkbox"
                id={`sections-${s}`}
                name={fields.sections.name}
                value={s}
                defaultChecked={sections.has(s)}
              />
              <label htmlFor={`sections-${s}`}>{sectionLabels[s]}</label>
            </div>
          ))}
          {fields.sections.errors ? (
            <p id={fields.sections.errorId} className="field-error">
              {fields.sections.errors.join(" ")}
            </p>
          ) : null}
        </fieldset>

        <div>
          <button type="submit" className="button">
            Save preferences
          </button>
        </div>
      </Form>
      <NotForMeList calls={dismissed} undone={params.get("undone")} />
    </section>
  );
}

type KindRow = { key: string; label: string; description: string; on: boolean; alwaysSentBecause: string | null };

/** Every kind of email: a switch for each one the person may turn off, and why the others always come. */
function EmailKinds({ kinds, reply }: { kinds: KindRow[]; reply: ReturnType<typeof replyFor> }) {
  const [form, fields] = useForm<{ intent: string; on: string[] }>({ id: "email-kinds", lastResult: reply });
  const switchable = kinds.filter((k) => k.alwaysSentBecause === null);
  const always = kinds.filter((k) => k.alwaysSentBecause !== null);
  return (
    <section className="stack" aria-labelledby="email-kinds-heading">
      <h2 id="email-kinds-heading">Emails we send you</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <input type="hidden" name="intent" value="email-kinds" />
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend>Send me these emails (untick to switch one off)</legend>
          {switchable.map((k) => (
            <div key={k.key}>
              <div className="field-checkbox">
                <input
                  type="checkbox"
                  id={`kind-${k.key}`}
                  name={fields.on.name}
                  value={k.key}
                  defaultChecked={k.on}
                  aria-describedby={`kind-${k.key}-hint`}
                />
                <label htmlFor={`kind-${k.key}`}>{k.label}</label>
              </div>
              <p id={`kind-${k.key}-hint`} className="field-hint">
                {k.description}
              </p>
            </div>
          ))}
        </fieldset>
        <div>
          <button type="submit" className="button">
            Save email choices
          </button>
        </div>
      </Form>
      <h3 id="always-sent">Always sent</h3>
      <p className="muted">These have no switch, and each says why.</p>
      <ul className="stack" aria-labelledby="always-sent">
        {always.map((k) => (
          <li key={k.key}>
            <strong>{k.label}</strong>: {k.description} <span className="muted">Why always: {k.alwaysSentBecause}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The calls this person marked "not for me" on their pages, each with a way back into the digest. */
function NotForMeList({
  calls,
  undone,
}: {
  calls: { id: number; title: string; packageName: string }[];
  undone: string | null;
}) {
  return (
    <section className="stack" aria-labelledby="not-for-me">
      <h2 id="not-for-me">Calls you marked not for me</h2>
      {undone ? (
        <p className="alert" role="status">
          Done: that call can appear in your digest again.
        </p>
      ) : null}
      {calls.length === 0 ? (
        <p className="muted">
          None. On a call&rsquo;s page, &ldquo;Not for me&rdquo; keeps it out of your digest; it is listed here.
        </p>
      ) : (
        <ul className="not-for-me-list">
          {calls.map((c) => (
            <li key={c.id}>
              <Link to={`/calls/${c.id}`}>{c.title}</Link> <span className="muted">({c.packageName})</span>{" "}
              <Form method="post" action={`/calls/${c.id}/not-for-me`} className="inline-form">
                <input type="hidden" name="intent" value="undo" />
                <input type="hidden" name="returnTo" value="settings" />
                <button type="submit" className="button button-secondary" aria-label={`Undo not for me: ${c.title}`}>
                  Undo
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
