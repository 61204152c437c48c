// Working-group admins configure where new public calls are announced (Discord or generic JSON webhooks).
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getSelectProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors } from "#app/components/field.tsx";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { addWebhook, deleteWebhook, listWebhooks, setWebhookActive } from "#app/models/calls/announcements.server.ts";
import { webhookKinds } from "#db/schema/calls.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { parseId } from "#app/utils/http.server.ts";

export const meta: MetaFunction = () => [{ title: "Call announcements · Roadies" }];

const WebhookForm = z.object({
  name: z.string({ error: "Name the webhook, e.g. “Discord #packages”." }).trim().min(2).max(80),
  kind: z.enum(webhookKinds, { error: "Choose the kind of webhook." }),
  url: z
    .string({ error: "Enter the webhook's URL." })
    .trim()
    .max(500)
    .url("Enter a full URL.")
    .refine(
      // Plain http only to this machine (local receivers, tests); anything else must be https.
      (v) => v.startsWith("https://") || /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(v),
      "Use an https:// URL.",
    ),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const hooks = await listWebhooks();
  // The URL is a secret (anyone holding a Discord webhook URL can post): show only its host.
  return {
    hooks: hooks.map((h) => ({ id: h.id, name: h.name, kind: h.kind, active: h.active, host: new URL(h.url).host })),
  };
}

type Admin = Awaited<ReturnType<typeof requireAdmin>>;

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const form = await readFormData(request);
  const intent = form.get("intent");
  switch (intent) {
    case "enable":
    case "disable":
      await setWebhookActive(admin.id, parseId(form.get("id")), intent === "enable");
      return redirect("/admin/announcements");
    case "delete":
      await deleteWebhook(admin.id, parseId(form.get("id")));
      return redirect("/admin/announcements");
    default:
      // The add form sends no intent.
      return add(admin, form);
  }
}

async function add(admin: Admin, form: FormData) {
  const submission = parseWithZod(form, { schema: WebhookForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await addWebhook(admin.id, submission.value);
  return redirect("/admin/announcements");
}

export default function Announcements() {
  const { hooks } = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useForm<z.input<typeof WebhookForm>>({
    id: "webhook",
    lastResult,
    // Validated on the server only: the URL rule is the server's to decide.
  });
  return (
    <section className="stack narrow">
      <h1>Call announcements</h1>
      <p>
        Each new public call is announced once to every active webhook (title, package, kind, link), retried on failure.
      </p>
      {hooks.length ? (
        <ul className="stack">
          {hooks.map((h) => (
            <li key={h.id} className="card">
              <p>
                <strong>{h.name}</strong> ({h.kind === "discord" ? "Discord" : "JSON"}, {h.host}) ·{" "}
                {h.active ? "active" : "paused"}
              </p>
              <Form method="post" className="inline-form">
                <input type="hidden" name="id" value={h.id} />
                <button
                  type="submit"
                  name="intent"
                  value={h.active ? "disable" : "enable"}
                  className="button button-secondary"
                >
                  {h.active ? `Pause ${h.name}` : `Resume ${h.name}`}
                </button>{" "}
                <button type="submit" name="intent" value="delete" className="button button-secondary">
                  Delete {h.name}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>No webhook yet.</p>
      )}
      <h2>Add a webhook</h2>
      <Form method="post" {...getFormProps(form)} className="stack">
        <FormErrors errors={form.errors} />
        <Field field={fields.name} label="Name">
          {(aria) => <input {...getInputProps(fields.name, { type: "text" })} {...aria} />}
        </Field>
        <Field field={fields.kind} label="Kind">
          {(aria) => (
            <select {...getSelectProps(fields.kind)} {...aria}>
              <option value="">Choose…</option>
              <option value="discord">Discord-compatible incoming webhook</option>
              <option value="json">Generic JSON</option>
            </select>
          )}
        </Field>
        <Field field={fields.url} label="URL">
          {(aria) => <input {...getInputProps(fields.url, { type: "url" })} {...aria} />}
        </Field>
        <p>
          <button type="submit" className="button">
            Add the webhook
          </button>
        </p>
      </Form>
    </section>
  );
}
