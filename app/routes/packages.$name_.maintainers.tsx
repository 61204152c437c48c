// POST-only: invite a maintainer by login (verified maintainers and admins) or confirm one's own
// invitation with GitHub. Answers go back to the package page as a notice.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "#app/models/people/auth.server.ts";
import { MaintainerForm } from "#app/models/calls/forms.ts";
import { getPackage } from "#app/models/packages/packages.server.ts";
import { canManagePackage, confirmMaintainership, inviteMaintainer } from "#app/models/packages/maintainers.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  throw redirect(`/packages/${encodeURIComponent(params.name ?? "")}`);
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
    default:
      // The invitation form sends no intent.
      return invite(user, pkg, form);
  }
}

// Codes, not text: the page never shows words taken from its URL.
const back = (pkg: Package, notice: string) => redirect(`/packages/${pkg.normalizedName}?notice=${notice}`);

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
