// /settings/profile: what a volunteer offers (skills and levels, roles, hours, time zone, Django
// versions, categories, bio) and who may see it.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useNotices } from "#app/components/notices.ts";
import { getFormProps, getInputProps, getSelectProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { TimeZonePicker } from "#app/components/time-zone-picker.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getProfile, saveProfile } from "#app/models/people/profile.server.ts";
import { levelLabels, profileSchema, roleLabels, visibilityLabels } from "#app/models/people/profile.ts";
import { listMemberships } from "#app/models/people/roadies.server.ts";
import { stepDown } from "#app/models/people/terms.server.ts";
import { LAST_ADMIN_MESSAGE } from "#app/models/people/roadies-forms.ts";
import { listCategories } from "#app/models/packages/packages.server.ts";
import { listDjangoReleases, todayOf } from "#app/models/ecosystem/releases.server.ts";
import { djangoVersionOptions } from "#app/models/ecosystem/version-labels.ts";
import { DjangoVersionCheckboxes } from "#app/components/django-versions.tsx";
import { skillGroups, skillTaxonomy } from "#db/reference/skills.ts";
import { profileRoles, profileVisibilities, skillLevels, trustRoles } from "#db/schema.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { formatDate } from "#app/utils/dates.ts";
import { canonicalTimeZone, timeZoneOptions } from "#app/utils/time.ts";

export const meta: MetaFunction = () => [{ title: "Your volunteer profile · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const now = Date.now();
  // Side by side: one round trip after the session (db.server.ts batches a request's reads).
  const [profile, categories, memberships, releases] = await Promise.all([
    getProfile(user),
    listCategories(),
    listMemberships(user.id),
    listDjangoReleases(),
  ]);
  // Versions one has worked with: released ones (and an upcoming one once its alpha is out).
  const djangoVersions = djangoVersionOptions(releases, todayOf(now), "experience", profile.djangoVersions);
  const active = memberships.filter((m) => m.status === "active" && m.termEndsAt > now);
  return {
    login: user.login,
    profile,
    djangoVersions,
    categories,
    timeZones: timeZoneOptions(now),
    // A zone saved under a deprecated name (Asia/Calcutta) shows as its current one (Asia/Kolkata).
    zoneChoice: canonicalTimeZone(profile.timezone) ?? "",
    terms: active.map((m) => ({ role: m.role, termEndsAt: m.termEndsAt })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  switch (formData.get("intent")) {
    case "step-down":
      return stepDownFrom(user.id, formData);
    default:
      // The profile form sends no intent.
      return save(user.id, formData);
  }
}

async function stepDownFrom(userId: number, formData: FormData) {
  const role = trustRoles.find((r) => r === formData.get("role"));
  invariantResponse(role, "Unknown role");
  const result = await stepDown(userId, role);
  if (!result.ok) return redirect("/settings/profile?step-down-refused=last-admin");
  return redirect(`/settings/profile?stepped-down=${role}`);
}

async function save(userId: number, formData: FormData) {
  const submission = parseWithZod(formData, { schema: profileSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await saveProfile(userId, submission.value);
  return redirect("/settings/profile?saved=1");
}

/** The form as the browser holds it: strings and lists of strings. */
type ProfileFormShape = {
  timezone: string;
  availabilityHours: string;
  rolesWanted: string[];
  djangoVersions: string[];
  categories: string[];
  openToTakeover: string;
  bio: string;
  visibility: string;
  skills: Record<string, string>;
};

export default function ProfileSettings() {
  const { login, profile, djangoVersions, categories, timeZones, zoneChoice, terms } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const params = useNotices(useSearchParams()[0]);
  const [form, fields] = useSchemaForm<typeof profileSchema, ProfileFormShape>(profileSchema, {
    id: "profile",
    lastResult,
    defaultValue: {
      timezone: zoneChoice,
      availabilityHours: profile.availabilityHours === null ? "" : String(profile.availabilityHours),
      rolesWanted: profile.rolesWanted,
      djangoVersions: profile.djangoVersions,
      categories: profile.categories,
      openToTakeover: profile.openToTakeover ? "on" : "",
      bio: profile.bio,
      visibility: profile.visibility,
      skills: Object.fromEntries(profile.skills.map((s) => [s.skillId, s.level])),
    },
  });

  const skillsField = fields.skills.getFieldset();
  const chosen = (field: { initialValue?: unknown; value?: unknown }) => {
    const value = field.value ?? field.initialValue;
    return new Set(Array.isArray(value) ? (value as string[]) : value ? [String(value)] : []);
  };
  const roles = chosen(fields.rolesWanted);
  const versions = chosen(fields.djangoVersions);
  const cats = chosen(fields.categories);
  const checkbox = (name: string, value: string, checked: boolean, label: string, key = value) => {
    const id = `${name}-${value.replace(/[^a-zA-Z0-9]+/g, "-")}`;
    return (
      <div className="field-checkbox" key={key}>
        <input type="checkbox" id={id} name={name} value={value} defaultChecked={checked} />
        <label htmlFor={id}>{label}</label>
      </div>
    );
  };

  return (
    <section className="stack">
      <h1>Your volunteer profile</h1>
      {params.get("saved") ? (
        <div className="alert" role="status">
          <p>
            Profile saved. <Link to={`/people/${login}`}>See your public profile</Link>.
          </p>
        </div>
      ) : null}
      {params.get("step-down-refused") ? (
        <div className="alert alert-error" role="alert">
          <p>{LAST_ADMIN_MESSAGE}</p>
        </div>
      ) : null}
      {params.get("stepped-down") ? (
        <div className="alert" role="status">
          <p>You stepped down. Thank you for your time; your history stays on your profile.</p>
        </div>
      ) : null}
      <p>
        Maintainers and the weekly digest use this to find people who fit their calls. Your{" "}
        <Link to={`/people/${login}`}>public profile</Link> shows what you choose to share.
      </p>
      <Form method="post" {...getFormProps(form)} className="stack profile-form">
        <FormErrors errors={form.errors} />
        <fieldset>
          <legend>Skills</legend>
          <p className="field-hint">
            Choose a level for each skill you have; leave the rest at &ldquo;Not a skill of mine&rdquo;.
          </p>
          {skillGroups.map((group) => (
            <div key={group} className="skill-group">
              <h2 className="skill-group-title">{group}</h2>
              <div className="skill-grid">
                {skillTaxonomy
                  .filter((s) => s.group === group)
                  .map((s) => {
                    const f = skillsField[s.id]!;
                    return (
                      <Field key={s.id} field={f} label={s.name}>
                        {(aria) => (
                          <select {...getSelectProps(f)} {...aria}>
                            <option value="">Not a skill of mine</option>
                            {skillLevels.map((l) => (
                              <option key={l} value={l}>
                                {levelLabels[l]}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    );
                  })}
              </div>
            </div>
          ))}
        </fieldset>

        <fieldset>
          <legend>Roles you would take on</legend>
          {profileRoles.map((r) => checkbox(fields.rolesWanted.name, r, roles.has(r), roleLabels[r]))}
          {fields.rolesWanted.errors ? <p className="field-error">{fields.rolesWanted.errors.join(" ")}</p> : null}
        </fieldset>

        <div className="field-checkbox">
          <input {...getInputProps(fields.openToTakeover, { type: "checkbox" })} />
          <label htmlFor={fields.openToTakeover.id}>I am open to taking over a package</label>
        </div>

        <Field
          field={fields.availabilityHours}
          label="Hours a week you can give"
          hint="A rough figure is fine; 0 means not right now."
        >
          {(aria) => (
            <input {...getInputProps(fields.availabilityHours, { type: "number" })} min={0} max={80} {...aria} />
          )}
        </Field>

        <Field field={fields.timezone} label="Time zone" hint="Where you usually work from; the offsets are today's.">
          {(aria) => (
            <TimeZonePicker
              select={{ ...getSelectProps(fields.timezone), ...aria }}
              options={timeZones}
              emptyLabel="Choose a time zone"
            />
          )}
        </Field>

        <DjangoVersionCheckboxes
          name={fields.djangoVersions.name}
          legend="Django versions you have worked with"
          options={djangoVersions}
          chosen={versions}
          errors={fields.djangoVersions.errors}
          errorId={fields.djangoVersions.errorId}
        />

        <fieldset>
          <legend>Package categories you care about</legend>
          <div className="checkbox-columns">
            {categories.map((c) => checkbox(fields.categories.name, c, cats.has(c), c))}
          </div>
          {fields.categories.errors ? <p className="field-error">{fields.categories.errors.join(" ")}</p> : null}
        </fieldset>

        <Field
          field={fields.bio}
          label="About you"
          hint="A few lines in Markdown: what you have worked on, what you would like to do."
        >
          {(aria) => <textarea {...getTextareaProps(fields.bio)} rows={6} {...aria} />}
        </Field>

        <Field field={fields.visibility} label="Who can see your profile">
          {(aria) => (
            <select {...getSelectProps(fields.visibility)} {...aria}>
              {profileVisibilities.map((v) => (
                <option key={v} value={v}>
                  {visibilityLabels[v]}
                </option>
              ))}
            </select>
          )}
        </Field>

        <p>
          <button type="submit" className="button">
            Save profile
          </button>
        </p>
      </Form>

      {terms.length ? (
        <section className="card stack" aria-labelledby="terms-title">
          <h2 id="terms-title">Your terms</h2>
          {terms.map((t) => (
            <Form method="post" key={t.role} className="term-row">
              <p>
                {t.role === "roadie" ? "Roadie" : "Working-group member"} until {formatDate(t.termEndsAt)}. We email you
                14 and 3 days before it ends so you can stay on.
              </p>
              <input type="hidden" name="role" value={t.role} />
              <button type="submit" name="intent" value="step-down" className="button button-secondary">
                Step down as {t.role === "roadie" ? "roadie" : "working-group member"}
              </button>
            </Form>
          ))}
        </section>
      ) : null}
      <p>
        <Link to="/settings/account">Your account and data</Link> · <Link to="/settings/sessions">Sessions</Link>
      </p>
    </section>
  );
}
