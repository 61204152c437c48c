// /guides/:slug/suggest: any signed-in person proposes an edit to a guide: the full text, edited in
// place, and a short note. ?edit=ID lets the author update their own pending suggestion on the
// current text (how a suggestion that clashes with a newer revision is brought up to date).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { requireUser } from "#app/models/people/auth.server.ts";
import { getGuide } from "#app/models/guides/guides.server.ts";
import {
  createSuggestion,
  PENDING_LIMIT,
  suggestionFor,
  updateSuggestion,
  type CreateResult,
} from "#app/models/guides/suggestions.server.ts";
import { suggestSchema } from "#app/models/guides/forms.ts";
import { guidePath, linkedAnchors, suggestionPath } from "#app/models/guides/paths.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Suggest an edit to ${data.guide.title} · Roadies` : "Guide not found · Roadies" },
];

/** The author's own pending suggestion named by ?edit=, or null; 404 for anything else. */
async function editedSuggestion(request: Request, userId: number, guideId: number) {
  const raw = new URL(request.url).searchParams.get("edit");
  if (raw === null) return null;
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 1) throw notFound();
  const found = await suggestionFor({ id: userId }, id);
  if (!found || !found.own || found.suggestion.status !== "pending" || found.suggestion.guideId !== guideId) {
    throw notFound();
  }
  return found.suggestion;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const guide = await getGuide(params.slug ?? "");
  if (!guide) throw notFound();
  const editing = await editedSuggestion(request, user.id, guide.id);
  return {
    guide: {
      slug: guide.slug,
      title: guide.title,
      href: guidePath(guide.slug),
      currentRevision: guide.currentRevision,
    },
    body: editing?.body ?? guide.body,
    note: editing?.note ?? "",
    editing: editing ? { id: editing.id, baseRevision: editing.baseRevision } : null,
    pendingLimit: PENDING_LIMIT,
  };
}

const problems = (result: Extract<CreateResult, { ok: false }>): string => {
  switch (result.reason) {
    case "unchanged":
      return "The text is the same as the guide's: change something before sending.";
    case "too-many":
      return `You already have ${PENDING_LIMIT} suggestions waiting for review: withdraw one, or wait for the reviewers.`;
    case "no-revision":
      return "The guide changed since you opened this page. Your text is kept below: copy it, reload, and apply it again.";
    case "removes-linked-anchor":
      return `Keep these section anchors: other pages link to them (${(result.anchors ?? []).map((a) => `{#${a}}`).join(", ")}). You may reword a heading, but leave its {#…} at the end.`;
  }
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const guide = await getGuide(params.slug ?? "");
  if (!guide) throw notFound();
  const editing = await editedSuggestion(request, user.id, guide.id);
  const formData = await readFormData(request);
  const submission = parseWithZod(formData, { schema: suggestSchema });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const anchors = linkedAnchors(guide.slug);
  const result = editing
    ? await updateSuggestion(user, editing, submission.value, anchors)
    : await createSuggestion(user, guide, submission.value, anchors);
  if (!result.ok) {
    return data(submission.reply({ formErrors: [problems(result)] }), {
      status: result.reason === "no-revision" ? 409 : 400,
    });
  }
  return redirect(`${suggestionPath(result.id)}?${editing ? "updated" : "sent"}=1`);
}

export default function SuggestEdit() {
  const { guide, body, note, editing } = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(suggestSchema, {
    id: "suggest",
    lastResult: reply,
    // When updating a suggestion, the author edits on the current text: that is its new base.
    defaultValue: { body, note, baseRevision: String(guide.currentRevision) },
  });
  const based = editing && editing.baseRevision !== guide.currentRevision;
  return (
    <div className="stack narrow">
      <p>
        <Link to={guide.href}>← {guide.title}</Link>
      </p>
      <h1>{editing ? "Update your suggestion" : "Suggest an edit"}</h1>
      <p>
        Edit the text of “{guide.title}” below, in Markdown, and say what you changed. A working-group member or roadie
        reviews it: they may comment, then publish it as a new revision credited to you, or decline it with a reason.
        You will be told either way.
      </p>
      <details>
        <summary>How the text is written</summary>
        <ul>
          <li>
            <code>## Heading</code> starts a section; <code>{"{#anchor}"}</code> at the end of a heading keeps its link
            the same when you reword it. Keep the anchors that are there: other pages link to them.
          </li>
          <li>
            <code>**bold**</code>, <code>*italic*</code>, <code>`code`</code>, <code>[text](https://…)</code>, lists
            with <code>-</code> or <code>1.</code>. HTML is shown as text.
          </li>
        </ul>
      </details>
      {based ? (
        <p className="alert" role="note">
          The guide changed since you made this suggestion (it was made on revision {editing.baseRevision}, the guide is
          now at revision {guide.currentRevision}). The text below is yours; check it against the{" "}
          <Link to={`/guides/${guide.slug}/history`}>latest changes</Link> before saving: saving bases it on the current
          revision.
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <input {...getInputProps(fields.baseRevision, { type: "hidden" })} />
        <Field field={fields.body} label="The guide's text" hint="Markdown; the whole guide, edited in place.">
          {(aria) => <textarea {...getTextareaProps(fields.body)} {...aria} rows={24} className="guide-editor" />}
        </Field>
        <Field
          field={fields.note}
          label="What you changed and why"
          hint="One or two sentences; shown in the guide's history."
        >
          {(aria) => <input {...getInputProps(fields.note, { type: "text" })} {...aria} />}
        </Field>
        <button type="submit">{editing ? "Save the suggestion" : "Send the suggestion"}</button>
      </Form>
    </div>
  );
}
