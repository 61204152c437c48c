// POST /unsubscribe/:token/one-click: the RFC 8058 one-click target named in List-Unsubscribe of the
// digest and every other periodic email. It switches off the token's kind of email, and only that
// kind. Mail providers POST "List-Unsubscribe=One-Click" from their own servers, with no session
// and maybe a foreign Origin, so this is a resource route (Remix checks Origin only on document
// actions) and the signed token is the authentication. A GET (someone opening the URL) only leads
// to the confirm page: following a link never unsubscribes anyone.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { unsubscribeWithToken } from "#app/models/digest/digest.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/unsubscribe/${encodeURIComponent(params.token ?? "")}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  if (request.method !== "POST") return new Response("Method not allowed", { status: 405, headers: { Allow: "POST" } });
  const target = await unsubscribeWithToken(params.token ?? "");
  if (!target) return new Response("This unsubscribe link is not valid.", { status: 404 });
  const what = target.kind === "digest" ? "the Roadies match digest" : `Roadies emails: ${target.label.toLowerCase()}`;
  return new Response(`You are unsubscribed from ${what}.`, {
    status: 200,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
