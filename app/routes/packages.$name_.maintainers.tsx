// /packages/:name/maintainers: who maintains the package on Roadies and how each link was proven
// (PyPI's metadata or Trusted Publishing, and GitHub), or that it is only "claimed, unconfirmed".
// Actions: invite (verified maintainers, admins) and confirm one's own invitation or claim (both
// answer on the package page, as before), step down, remove a maintainer (verified co-maintainers,
// admins), and an admin's confirmation of an unconfirmed claim with evidence.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps, getTextareaProps, type SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, FormErrors, useSchemaForm } from "#app/components/field.tsx";
import { getCurrentUser, requireUser } from "#app/models/people/auth.server.ts";
import { MaintainerForm } from "#app/models/calls/forms.ts";
import { getPackage } from "#app/models/packages/packages.server.ts";
import {
  canManagePackage,
  confirmMaintainership,
  inviteMaintainer,
  listMaintainers,
  maintainerStatusLabels,
} from "#app/models/packages/maintainers.server.ts";
import {
  adminConfirmClaim,
  canRemoveMaintainers,
  removeMaintainer,
  stepDown,
} from "#app/models/packages/maintainer-changes.server.ts";
import { AdminConfirmForm, MaintainerRowForm, maintainerNotices, proofText } from "#app/models/packages/forms.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Maintainers of ${data.name} · Roadies` : "Package not found · Roadies" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const pkg = await getPackage(params.name ?? "");
  if (!pkg) throw notFound();
  if (params.name !== pkg.normalizedName) throw redirect(`/packages/${pkg.normalizedName}/maintainers`, 301);
  const viewer = await getCurrentUser(request);
  const [maintainers, canRemove, canManage] = await Promise.all([
    listMaintainers(pkg.id),
    canRemoveMaintainers(viewer, pkg.id),
    canManagePackage(viewer, pkg.id),
  ]);
  const code = new URL(request.url).searchParams.get("notice");
  return {
    name: pkg.name,
    slug: pkg.normalizedName,
    repository: pkg.repository,
    maintainers: maintainers.map((m) => ({
      id: m.id,
      login: m.login,
      name: m.name,
      status: m.status,
      statusLabel: maintainerStatusLabels[m.status],
      proof: proofText(m.proof),
      mine: viewer !== null && m.userId === viewer.id,
    })),
    canRemove,
    canManage,
    isAdmin: viewer?.isAdmin ?? false,
    notice: code && code in maintainerNotices ? maintainerNotices[code as keyof typeof maintainerNotices] : null,
  };
}

type Package = NonNullable<Awaited<ReturnType<typeof getPackage>>>;
type User = Awaited<ReturnType<typeof requireUser>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const pkg = await getPackage(params.name ?? "");
  if (!pkg) throw notFound();
  const form = await readFormData(request);
  switch (form.get("intent")) {
    case "confirm":
      return confirm(user, pkg);
    case "step-down":
      return leave(user, pkg, form);
    case "remove":
      return remove(user, pkg, form);
    case "admin-confirm":
      return adminConfirm(user, pkg, form);
    default:
      // The invitation form of older pages sends no intent.
      return invite(user, pkg, form);
  }
}

// Codes, not text: the pages never show words taken from their URL.
const back = (pkg: Package, notice: string) => redirect(`/packages/${pkg.normalizedName}?notice=${notice}`);
const here = (pkg: Package, notice: keyof typeof maintainerNotices) =>
  redirect(`/packages/${pkg.normalizedName}/maintainers?notice=${notice}`);

async function confirm(user: User, pkg: Package) {
  const result = await confirmMaintainership(user, pkg);
  return back(pkg, result.ok ? "confirmed" : result.problem);
}

async function invite(user: User, pkg: Package, form: FormData) {
  if (!(await canManagePackage(user, pkg.id))) throw notFound();
  const parsed = MaintainerForm.safeParse({ login: form.get("login") ?? "" });
  if (!parsed.success) return back(pkg, "bad-login");
  const result = await inviteMaintainer(user, pkg.id, parsed.data.login);
  return back(pkg, result.ok ? "invited" : "already-listed");
}

async function leave(user: User, pkg: Package, form: FormData) {
  const submission = parseWithZod(form, { schema: z.object({}) });
  const result = await stepDown(user, pkg);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return here(pkg, "stepped-down");
}

async function remove(user: User, pkg: Package, form: FormData) {
  if (!(await canRemoveMaintainers(user, pkg.id))) throw notFound();
  const submission = parseWithZod(form, { schema: MaintainerRowForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await removeMaintainer(user, pkg, submission.value.maintainerId);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return here(pkg, "removed");
}

async function adminConfirm(user: User, pkg: Package, form: FormData) {
  if (!user.isAdmin) throw notFound();
  const submission = parseWithZod(form, { schema: AdminConfirmForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  const result = await adminConfirmClaim(user, pkg, submission.value);
  if (!result.ok) return data(submission.reply({ formErrors: [result.message] }), { status: 409 });
  return here(pkg, "admin-confirmed");
}

type Reply = SubmissionResult<string[]> | undefined;
type Row = ReturnType<typeof useLoaderData<typeof loader>>["maintainers"][number];

/** The reply of the action if it answers this row's form (same intent and maintainer). */
function replyForRow(reply: Reply, intent: string, id: number | null): Reply {
  if (reply?.initialValue?.intent !== intent) return undefined;
  return id === null || reply.initialValue?.maintainerId === String(id) ? reply : undefined;
}

function AdminConfirm({ row, reply }: { row: Row; reply: Reply }) {
  const [form, fields] = useSchemaForm(AdminConfirmForm, {
    id: `admin-confirm-${row.id}`,
    lastResult: reply,
  });
  return (
    <Form method="post" {...getFormProps(form)} className="stack">
      <FormErrors errors={form.errors} />
      <input type="hidden" name="intent" value="admin-confirm" />
      <input type="hidden" name="maintainerId" value={row.id} />
      <Field
        field={fields.note}
        label={`Evidence that @${row.login} maintains it`}
        hint="Recorded with the confirmation."
      >
        {(aria) => <textarea {...getTextareaProps(fields.note)} rows={3} {...aria} />}
      </Field>
      <Field field={fields.url} label="Link to the evidence (optional)" hint="https://…">
        {(aria) => <input {...getInputProps(fields.url, { type: "url" })} {...aria} />}
      </Field>
      <p>
        <button type="submit" className="button button-secondary">
          Confirm @{row.login}&rsquo;s claim
        </button>
      </p>
    </Form>
  );
}

function RowActions({
  row,
  reply,
  canRemove,
  isAdmin,
}: {
  row: Row;
  reply: Reply;
  canRemove: boolean;
  isAdmin: boolean;
}) {
  const own = row.mine ? replyForRow(reply, "step-down", null) : replyForRow(reply, "remove", row.id);
  return (
    <>
      {own ? <FormErrors errors={own.error?.[""] ?? null} /> : null}
      {row.mine ? (
        <div className="inline-form">
          {row.status !== "verified" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="confirm" />
              <button type="submit" className="button">
                Check again with GitHub and PyPI
              </button>
            </Form>
          ) : null}
          <Form method="post">
            <input type="hidden" name="intent" value="step-down" />
            <button type="submit" className="button button-secondary">
              Step down
            </button>
          </Form>
        </div>
      ) : canRemove ? (
        <Form method="post">
          <input type="hidden" name="intent" value="remove" />
          <input type="hidden" name="maintainerId" value={row.id} />
          <button type="submit" className="button button-secondary">
            Remove @{row.login}
          </button>
        </Form>
      ) : null}
      {isAdmin && !row.mine && row.status === "unconfirmed" ? (
        <AdminConfirm row={row} reply={replyForRow(reply, "admin-confirm", row.id)} />
      ) : null}
    </>
  );
}

export default function MaintainersPage() {
  const page = useLoaderData<typeof loader>();
  const reply = useActionData<typeof action>() as Reply;
  return (
    <section className="stack">
      <p>
        <Link to={`/packages/${page.slug}`}>← {page.name}</Link>
      </p>
      <h1>Maintainers of {page.name}</h1>
      {page.notice ? (
        <p className="alert" role="status">
          {page.notice}
        </p>
      ) : null}
      <p>
        A maintainer is <strong>verified</strong> when PyPI links {page.name} to its repository
        {page.repository ? ` (github.com/${page.repository})` : ""}, through the project&rsquo;s URLs or releases
        published from it with Trusted Publishing, and GitHub says the person has the admin or maintain role on it. A
        link without that proof is <strong>claimed, unconfirmed</strong>: it receives no confidential security request
        and cannot post calls until it is proven or an admin confirms it.
      </p>
      {page.maintainers.length ? (
        <ul className="stack">
          {page.maintainers.map((m) => (
            <li key={m.id} className="stack">
              <p>
                <Link to={`/people/${m.login}`}>@{m.login}</Link>
                {m.name ? ` (${m.name})` : ""} · <strong>{m.statusLabel}</strong>
                {m.mine ? " · you" : ""}
              </p>
              {m.proof ? <p className="muted">{m.proof}</p> : null}
              <RowActions row={m} reply={reply} canRemove={page.canRemove} isAdmin={page.isAdmin} />
            </li>
          ))}
        </ul>
      ) : (
        <p>
          No maintainer of this package is on Roadies yet. Maintain it? <Link to="/packages/new">Add it</Link> with its
          repository to verify your role.
        </p>
      )}
    </section>
  );
}
