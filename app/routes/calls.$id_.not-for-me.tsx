// POST /calls/:id/not-for-me: a person marks a call "not for me" (the digest stops showing it) or
// undoes that. The buttons live on the call page and on /settings/notifications; GET changes nothing
// and goes back to the call.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { parseCallId } from "#app/models/calls/calls.server.ts";
import { dismissCall, requireDismissableCall, undoCallDismissal } from "#app/models/calls/dismissals.server.ts";
import { readFormData } from "#app/utils/form.server.ts";

const NotForMeForm = z.object({
  intent: z.enum(["dismiss", "undo"]),
  /** Where the button was: the person goes back there. */
  returnTo: z.enum(["call", "settings"]).default("call"),
});

export async function loader({ params }: LoaderFunctionArgs) {
  const id = parseCallId(params.id);
  if (!id) throw new Response("Not found", { status: 404 });
  return redirect(`/calls/${id}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, call } = await requireDismissableCall(request, params.id);
  const parsed = NotForMeForm.safeParse(Object.fromEntries(await readFormData(request)));
  if (!parsed.success) throw new Response("Bad request", { status: 400 });
  const { intent, returnTo } = parsed.data;
  if (intent === "dismiss") await dismissCall(user.id, call.id);
  else await undoCallDismissal(user.id, call.id);
  if (returnTo === "settings")
    return redirect(`/settings/notifications?${intent === "undo" ? "undone" : "dismissed"}=1`);
  return redirect(`/calls/${call.id}`);
}
