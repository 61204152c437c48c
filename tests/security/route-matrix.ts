// Who gets what from every route: each route module's loader (GET) and action (POST with an empty
// form) for each kind of person. tests/security/authorization.test.ts reads app/routes at test time,
// so a route missing here fails the suite. Values: an HTTP status ("200", "403", "404", "410"…),
// "login" (a redirect to sign in), "redirect" (elsewhere), or "allowed" for an action that let the
// person through to its form validation (a 200 page with errors, a 400, a redirect after success).
// "none" means the module has no loader/action (Remix answers GET 404 / POST 405 by itself).
import { MATRIX_PACKAGE, type Role } from "./world.ts";

export type Expect = string;
export type RoleOutcomes = Record<Role, Expect>;
export type RouteEntry = {
  /** Route params: ids of demo objects seeded by db/demo.ts. */
  params?: Record<string, string>;
  loader: RoleOutcomes | "none";
  action: RoleOutcomes | "none";
};

const month = new Date().toISOString().slice(0, 7);
const CALL = { id: "15" }; // demo call for django-debug-toolbar, which "maintainer" maintains
const PROGRAM = { slug: "djangonaut-space-demo-session" }; // organised by kofi-demo
const CONFIDENTIAL_REQUEST = { id: "1" }; // security report on django-axes, filed by bruno-demo
const GUIDE = { slug: "security" }; // db/reference/guides/security.md

/** The same outcome for everyone. */
const all = (outcome: Expect): RoleOutcomes => ({
  anonymous: outcome,
  volunteer: outcome,
  maintainer: outcome,
  roadie: outcome,
  admin: outcome,
  suspended: outcome,
});
/** Signed-in people get `signedIn`; anonymous visitors and suspended accounts are sent to sign in. */
const signedIn = (outcome: Expect): RoleOutcomes => ({ ...all(outcome), anonymous: "login", suspended: "login" });
/** Only working-group admins; other signed-in people get `others`. */
const adminOnly = (outcome: Expect, others = "403"): RoleOutcomes => ({
  ...signedIn(others),
  admin: outcome,
});
const with_ = (base: RoleOutcomes, changes: Partial<RoleOutcomes>): RoleOutcomes => ({ ...base, ...changes });

/** The demo objects each dynamic segment points at, unless an entry gives its own params. */
export function paramsFor(route: string): Record<string, string> {
  const entry = routeMatrix[route];
  if (entry?.params) return entry.params;
  if (route.startsWith("calls.") || route.startsWith("api.calls.")) return CALL;
  if (route.startsWith("programs.$slug.review.")) return { ...PROGRAM, id: "1" };
  if (route.startsWith("programs.$slug")) return PROGRAM;
  if (route.startsWith("requests.$id")) return CONFIDENTIAL_REQUEST;
  if (route.startsWith("packages.$name")) return { name: MATRIX_PACKAGE };
  if (route.startsWith("people.$login")) return { login: "bruno-demo" };
  if (route.startsWith("reports.$month")) return { month };
  if (route.startsWith("compat.$version")) return { version: "6.0" };
  if (route.includes("$token")) return { token: "not-a-real-token" };
  if (route.includes("$id")) return { id: "1" };
  return {};
}

export const routeMatrix: Record<string, RouteEntry> = {
  _index: { loader: all("200"), action: "none" },
  "admin._index": { loader: with_(signedIn("200"), { volunteer: "403", maintainer: "403" }), action: "none" },
  "admin.announcements": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "admin.audit": { loader: adminOnly("200"), action: "none" },
  "admin.jobs": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "admin.moderation": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "admin.nominations.$id": {
    loader: with_(signedIn("200"), { volunteer: "403", maintainer: "403" }),
    action: with_(signedIn("allowed"), { volunteer: "403", maintainer: "403" }),
  },
  "admin.nominations._index": {
    loader: with_(signedIn("200"), { volunteer: "403", maintainer: "403" }),
    action: "none",
  },
  "admin.roadies": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "admin.transfers": { loader: with_(signedIn("200"), { volunteer: "403", maintainer: "403" }), action: "none" },
  "admin.working-group": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "api.calls": { loader: all("200"), action: "none" },
  "api.calls.$id": { loader: all("200"), action: "none" },
  "auth.github": { loader: all("login"), action: all("allowed") },
  "auth.github_.callback": { loader: all("400"), action: "none" },
  calendar: { loader: all("200"), action: "none" },
  "calendar[.]ics": { loader: all("200"), action: "none" },
  "calendar_.edit": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "calls.$id": { loader: all("200"), action: signedIn("allowed") },
  "calls.$id_.edit": {
    loader: with_(signedIn("404"), { maintainer: "200", admin: "200" }),
    action: with_(signedIn("allowed"), { volunteer: "404", roadie: "404" }),
  },
  "calls.$id_.manage": {
    loader: with_(signedIn("404"), { maintainer: "200", admin: "200" }),
    action: with_(signedIn("allowed"), { volunteer: "404", roadie: "404" }),
  },
  // GET goes back to the call; POST needs an intent (an empty form is a 400); a package's own
  // maintainers cannot mark its call "not for me" (404).
  "calls.$id_.not-for-me": { loader: all("redirect"), action: with_(signedIn("400"), { maintainer: "404" }) },
  "calls.$id_.renew": { loader: all("410"), action: all("410") },
  "calls._index": { loader: all("200"), action: "none" },
  "calls.new": { loader: signedIn("200"), action: signedIn("allowed") },
  "calls[.]atom": { loader: all("200"), action: "none" },
  "checkin.$token": { loader: all("404"), action: all("404") },
  "compat.$version": { loader: all("200"), action: adminOnly("allowed") },
  "dev.outbox": { loader: all("404"), action: "none" },
  "dev.outbox.$id": { loader: all("404"), action: "none" },
  "dev.outbox_.$id.html": { loader: all("404"), action: "none" },
  ecosystem: {
    loader: all("200"),
    action: with_(signedIn("allowed"), { volunteer: "403", maintainer: "403" }),
  },
  "ecosystem[.]csv": { loader: all("200"), action: "none" },
  "ecosystem[.]json": { loader: all("200"), action: "none" },
  // [guides] Guides are public; suggesting needs an account; reviewing (history's action, deciding a
  // suggestion) needs a working-group member or roadie; a suggestion is seen by its author and reviewers.
  guides: { loader: all("200"), action: "none" },
  "guides[.]atom": { loader: all("200"), action: "none" },
  "guides_.$slug": { params: GUIDE, loader: all("200"), action: "none" },
  "guides_.$slug_.history": {
    params: GUIDE,
    loader: all("200"),
    action: with_(signedIn("allowed"), { volunteer: "403", maintainer: "403" }),
  },
  "guides_.$slug_.suggest": { params: GUIDE, loader: signedIn("200"), action: signedIn("allowed") },
  "guides_.suggestions._index": { loader: signedIn("200"), action: "none" },
  // Demo suggestion 1: pending, by nia-demo (db/demo/guides.ts), none of the matrix's people.
  "guides_.suggestions.$id": {
    params: { id: "1" },
    loader: with_(signedIn("200"), { volunteer: "404", maintainer: "404" }),
    action: with_(signedIn("allowed"), { volunteer: "404", maintainer: "404" }),
  },
  // [inbox] a person's own notifications; opening one that is not yours is the same 404 as a missing one.
  inbox: { loader: signedIn("200"), action: signedIn("allowed") },
  "inbox_.$id": { params: { id: "999999999" }, loader: signedIn("404"), action: "none" },
  "inbox_.version": { loader: with_(all("200"), { anonymous: "401", suspended: "401" }), action: "none" },
  "internal.jobs.digest": { loader: all("405"), action: all("401") },
  login: { loader: with_(all("redirect"), { anonymous: "200", suspended: "200" }), action: "none" },
  logout: { loader: all("redirect"), action: all("allowed") },
  "me.applications": { loader: signedIn("200"), action: signedIn("404") },
  "me.interests": { loader: signedIn("200"), action: "none" },
  // Meetings are public (demo meeting 1 has public notes); the working group schedules and edits them.
  "meetings._index": { loader: all("200"), action: "none" },
  "meetings.$id": { loader: all("200"), action: "none" },
  "meetings.$id_.edit": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "meetings.new": { loader: adminOnly("200"), action: adminOnly("allowed") },
  nominate: { loader: signedIn("200"), action: signedIn("allowed") },
  // Demo nomination 1 was never proposed to a maintainer: nobody may answer it (the consent flow is
  // in tests/integration/nomination-consent.test.ts).
  "nominations.$id": { loader: signedIn("404"), action: signedIn("404") },
  "packages.$name": { loader: all("200"), action: "none" },
  "packages.$name_.compatibility": {
    loader: all("redirect"),
    action: with_(signedIn("allowed"), { volunteer: "404", roadie: "404" }),
  },
  "packages.$name_.maintainers": {
    loader: all("200"),
    action: with_(signedIn("allowed"), { volunteer: "404", roadie: "404" }),
  },
  "packages._index": { loader: all("200"), action: "none" },
  "packages.compare": { loader: all("200"), action: "none" },
  "packages.compare[.]csv": { loader: all("200"), action: "none" },
  "packages[.]csv": { loader: all("200"), action: "none" },
  "packages[.]json": { loader: all("200"), action: "none" },
  "packages.new": { loader: signedIn("200"), action: signedIn("allowed") },
  "people.$login": { loader: all("200"), action: signedIn("allowed") },
  "people._index": { loader: all("200"), action: "none" },
  "programs.$slug._index": { loader: all("200"), action: "none" },
  "programs.$slug.alumni": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.apply": { loader: signedIn("200"), action: signedIn("404") },
  "programs.$slug.decisions": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.edit": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.groups": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.projects.new": { loader: signedIn("200"), action: signedIn("allowed") },
  "programs.$slug.questions": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.review.$id": { loader: adminOnly("200", "404"), action: adminOnly("allowed", "404") },
  "programs.$slug.review._index": { loader: adminOnly("200", "404"), action: "none" },
  "programs.$slug.review[.]csv": { loader: adminOnly("200", "404"), action: "none" },
  "programs._index": { loader: all("200"), action: "none" },
  "programs.new": { loader: adminOnly("200"), action: adminOnly("allowed") },
  // Reporting a call everyone can see: any signed-in person gets the form; an empty form is refused by validation.
  "report.$type.$id": { params: { type: "call", id: CALL.id }, loader: signedIn("200"), action: signedIn("allowed") },
  "reports.$month": { loader: all("200"), action: "none" },
  "reports.$month_.markdown": { loader: all("200"), action: "none" },
  "reports._index": { loader: all("200"), action: "none" },
  search: { loader: all("200"), action: "none" },
  "reports[.]atom": { loader: all("200"), action: "none" },
  // Signed out: sign in and come back (the request may be yours); signed in and not allowed: 404.
  "requests.$id": {
    loader: with_(all("404"), { anonymous: "login", suspended: "login", admin: "200" }),
    action: with_(all("404"), { admin: "allowed" }),
  },
  "requests._index": { loader: all("200"), action: "none" },
  "requests.new": { loader: signedIn("200"), action: signedIn("allowed") },
  "requests.pools": { loader: signedIn("200"), action: adminOnly("allowed", "404") },
  "roadies._index": { loader: all("200"), action: "none" },
  "roadies.apply": { loader: signedIn("200"), action: signedIn("allowed") },
  "settings.account": { loader: signedIn("200"), action: signedIn("allowed") },
  "settings.account.export": { loader: signedIn("200"), action: "none" },
  "settings.email": { loader: signedIn("200"), action: signedIn("allowed") },
  "settings.notifications": { loader: signedIn("200"), action: signedIn("allowed") },
  "settings.profile": { loader: signedIn("200"), action: signedIn("allowed") },
  "settings.sessions": { loader: signedIn("200"), action: signedIn("allowed") },
  // [surveys] Demo survey 1 is closed (results), survey 2 is open (answering). Only verified
  // maintainers answer; the working group writes; admins download the answers.
  "surveys._index": { loader: all("200"), action: "none" },
  "surveys.new": { loader: adminOnly("200"), action: adminOnly("allowed") },
  "surveys.$id._index": {
    params: { id: "2" },
    loader: all("200"),
    // The admin is ada-demo, who also maintains demo packages.
    action: { ...signedIn("403"), maintainer: "allowed", admin: "allowed" },
  },
  "surveys.$id.edit": { params: { id: "2" }, loader: adminOnly("200"), action: adminOnly("allowed") },
  "surveys.$id.results": { params: { id: "1" }, loader: all("200"), action: "none" },
  "surveys.$id.answers[.]csv": { params: { id: "1" }, loader: adminOnly("200"), action: "none" },
  "terms.renew": { loader: all("400"), action: all("allowed") },
  // [conversations] Thread 1: the demo handover of django-dbtemplates. The matrix's people are not
  // in it; the admin, a working-group member, may join it (the join page; nothing else until joined).
  "threads.$id": {
    params: { id: "1" },
    loader: with_(signedIn("404"), { admin: "200" }),
    action: with_(signedIn("404"), { admin: "403" }),
  },
  "threads.$id_.version": {
    params: { id: "1" },
    loader: with_(signedIn("404"), { anonymous: "401", suspended: "401", admin: "403" }),
    action: "none",
  },
  "transfers.$id": {
    loader: with_(signedIn("404"), { roadie: "200", admin: "200" }),
    action: with_(signedIn("404"), { roadie: "403", admin: "allowed" }),
  },
  "unsubscribe.$token_.one-click": { loader: all("redirect"), action: all("404") },
  "unsubscribe.$token": { loader: all("404"), action: all("404") },
  "verify-email.$token": { loader: all("404"), action: all("404") },
  "webhooks.resend": { loader: all("405"), action: all("401") },
};
