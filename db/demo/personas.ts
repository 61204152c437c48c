// [experience] Who each demo person is and what to try with them, derived from the demo seed data
// (db/demo-people.ts and db/demo/*.ts), for the GitHub stand-in's sign-in picker and the startup
// summary of `npm run demo`. Plain data: nothing here touches the database.
import { demoPeople } from "../demo-people.ts";
import demoPackageFile from "../reference/demo-packages.json" with { type: "json" };
import { demoMaintainersFor, demoPendingInterests, demoRepos } from "./calls.ts";
import { lapsedRoadie, roadies, workingGroup } from "./people.ts";
import { demoOrganisers } from "./programs.ts";
import { pools } from "./requests.ts";

export type DemoPersona = {
  login: string;
  name: string;
  /** Short role phrases, most powerful first: "working-group admin", "maintainer of django-axes"… */
  roles: string[];
  /** One sentence: what to try when signed in as this person. */
  tryThis: string;
};

const DAY_MS = 24 * 60 * 60 * 1000;

const programmeNames: Record<keyof typeof demoOrganisers, string> = {
  djangonaut: "Djangonaut Space",
  gsoc: "Google Summer of Code",
};

/** The packages each demo login maintains, in the demo packages' order. */
function packagesByLogin(): Map<string, string[]> {
  const byLogin = new Map<string, string[]>();
  demoPackageFile.packages.forEach((p, i) => {
    for (const login of demoMaintainersFor(i)) byLogin.set(login, [...(byLogin.get(login) ?? []), p.name]);
  });
  return byLogin;
}

/** Repositories not yet on Roadies where the login has admin or maintain: packages they could add. */
function addableRepos(): Map<string, string[]> {
  const listed = new Set(demoPackageFile.packages.map((p) => p.repository.toLowerCase()));
  const byLogin = new Map<string, string[]>();
  for (const repo of demoRepos()) {
    const fullName = `${repo.owner}/${repo.name}`;
    if (listed.has(fullName.toLowerCase())) continue;
    for (const [login, level] of Object.entries(repo.permissions)) {
      if (level === "admin" || level === "maintain") byLogin.set(login, [...(byLogin.get(login) ?? []), repo.name]);
    }
  }
  return byLogin;
}

export function demoPersonas(now = Date.now()): DemoPersona[] {
  const maintains = packagesByLogin();
  const addable = addableRepos();
  const interests = demoPendingInterests();
  const roadieLogins = new Set(roadies.map(([login]) => login));
  return demoPeople.map((person) => {
    const login = person.login;
    const roles: string[] = [];
    const tries: string[] = [];
    const wg = workingGroup.includes(login);
    if (person.isAdmin && wg) roles.push("working-group admin");
    else if (wg) roles.push("working-group member");
    if (roadieLogins.has(login)) roles.push("roadie");
    if (login === lapsedRoadie) roles.push("former roadie (term lapsed)");
    const organises = (Object.keys(demoOrganisers) as (keyof typeof demoOrganisers)[]).filter(
      (k) => demoOrganisers[k] === login,
    );
    for (const k of organises) roles.push(`organiser of ${programmeNames[k]}`);
    const seats = pools.filter((p) => p.login === login);
    for (const seat of seats) roles.push(`${seat.kind} expert${seat.status === "pending" ? " (pending)" : ""}`);
    const packages = maintains.get(login) ?? [];
    if (packages.length) {
      const shown = packages.slice(0, 2).join(", ");
      roles.push(`maintainer of ${shown}${packages.length > 2 ? ` and ${packages.length - 2} more` : ""}`);
    }
    const young = now - Date.parse(person.githubCreatedAt) < 90 * DAY_MS;
    if (young) roles.push("newcomer (GitHub account under 90 days old)");

    const waiting = interests.filter((i) => packages.includes(i.pkg));
    if (waiting[0]) tries.push(`answer @${waiting[0].login}'s interest in “${waiting[0].title}” (${waiting[0].pkg})`);
    if (person.isAdmin && wg) tries.push("vote on roadie applications and moderate from Admin");
    else if (wg) tries.push("vote on the working group's open proposals");
    if (organises.length) tries.push(`review the applications to ${programmeNames[organises[0]!]}`);
    if (roadieLogins.has(login)) tries.push("take a special request from your expert pool");
    const repos = addable.get(login);
    if (repos?.length) tries.push(`add ${repos[0]} as a new package`);
    if (young) tries.push("see what a brand-new account may and may not do");
    if (tries.length === 0) tries.push("find a call that fits your skills and say you are interested");
    return { login, name: person.name, roles, tryThis: capitalise(tries.slice(0, 2).join("; ")) + "." };
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The repository and PyPI project the demo's GitHub and PyPI stand-ins give a login typed on the
 * sign-in page, so a new account can become the verified maintainer of a package of its own.
 */
export function demoSandboxFor(login: string): { repository: string; pypiName: string } {
  const slug = login.toLowerCase();
  return { repository: `${login}/django-sandbox`, pypiName: `django-sandbox-${slug}` };
}

/** What a login typed on the stand-in's sign-in page is told. */
export const NEW_LOGIN_HINT =
  "A login typed here is a new GitHub account: it maintains none of the demo packages. The stand-in gives it one repository of its own, LOGIN/django-sandbox, published on the demo PyPI as django-sandbox-LOGIN: add that on “Add a package” to become its verified maintainer. To try a listed package, sign in as one of its maintainers above.";

/** The few lines `npm run demo` prints once the server listens. */
export function demoStartupSummary(appUrl: string, now = Date.now()): string {
  const personas = demoPersonas(now);
  const width = Math.max(...personas.map((p) => p.login.length));
  const pick = ["ada-demo", "kofi-demo", "chiara-demo", "bruno-demo", "nia-demo"];
  const lines = personas
    .filter((p) => pick.includes(p.login))
    .map((p) => `    ${p.login.padEnd(width)}  ${p.roles.slice(0, 2).join(", ")}`);
  return [
    "",
    `  Roadies demo is running: ${appUrl}`,
    "",
    `  Sign in with any demo person (${personas.length} in all, each with their role on the sign-in page), e.g.:`,
    ...lines,
    "    or type any login: a new account, with a sandbox package of its own to add.",
    "",
    `  Emails land in the outbox:  ${appUrl}/dev/outbox`,
    `  Commands such as npm run digest use this address while the demo runs.`,
    "  Logs: warnings and errors only (LOG_LEVEL=info shows every request). Ctrl-C stops.",
    "",
  ].join("\n");
}
