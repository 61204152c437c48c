// POST /calls/:id/not-for-me: a person marks a call "not for me" (the digest stops showing it) or
// undoes that. The buttons live on the call page and on /settings/notifications; GET changes nothing
// and goes back to the call.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { dismissCall, requireDismissableCall, undoCallDismissal } from "#app/models/calls/dismissals.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse, parseId } from "#app/utils/http.server.ts";

const NotForMeForm = z.object({
  intent: z.enum(["dismiss", "undo"]),
  /** Where the button was: the person goes back there. */
  returnTo: z.enum(["call", "settings"]).default("call"),
});

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/calls/${parseId(params.id)}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, call } = await requireDismissableCall(request, params.id);
  const parsed = NotForMeForm.safeParse(Object.fromEntries(await readFormData(request)));
  invariantResponse(parsed.success, "Choose “Not for me” or “Undo” on the call's page.");
  const { intent, returnTo } = parsed.data;
  if (intent === "dismiss") await dismissCall(user.id, call.id);
  else await undoCallDismissal(user.id, call.id);
  if (returnTo === "settings")
    return redirect(`/settings/notifications?${intent === "undo" ? "undone" : "dismissed"}=1`);
  return redirect(`/calls/${call.id}`);
}
