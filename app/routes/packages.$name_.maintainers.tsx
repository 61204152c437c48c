// POST-only: invite a maintainer by login (verified maintainers and admins) or confirm one's own
// invitation with GitHub. Answers go back to the package page as a notice.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/utils/auth.server.ts";
import { MaintainerForm } from "#app/models/calls/forms.ts";
import {
  canManagePackage,
  confirmMaintainership,
  getPackage,
  inviteMaintainer,
} from "#app/models/packages/packages.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/packages/${encodeURIComponent(params.name ?? "")}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const pkg = await getPackage(params.name ?? "");
  if (!pkg) throw new Response("Not found", { status: 404 });
  // Codes, not text: the page never shows words taken from its URL.
  const back = (notice: string) => redirect(`/packages/${pkg.normalizedName}?notice=${notice}`);
  const form = await readFormData(request);
  if (form.get("intent") === "confirm") {
    const result = await confirmMaintainership(user, pkg);
    return back(result.ok ? "confirmed" : result.problem);
  }
  if (!(await canManagePackage(user, pkg.id))) throw new Response("Not found", { status: 404 });
  const parsed = MaintainerForm.safeParse({ login: form.get("login") ?? "" });
  if (!parsed.success) return back("bad-login");
  const result = await inviteMaintainer(user, pkg.id, parsed.data.login);
  return back(result.ok ? "invited" : "already-listed");
}
