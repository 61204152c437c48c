// Navigation by role (app/models/people/navigation-labels.ts): each role sees the pages its guards
// open to it, and nobody sees a link to a page that would refuse them.
import { describe, expect, it } from "vitest";
import { mainAreas, navigationFor, noPowers, type NavigationPowers } from "#app/models/people/navigation-labels.ts";

const roleTargets = (powers: Partial<NavigationPowers>) =>
  navigationFor({ ...noPowers, ...powers }).roles.map((l) => l.to);

/** The pages under /admin and who may open them (the guards in app/routes/admin.*.tsx). */
const adminPageGuards: Record<string, "roadie or working group" | "working group" | "admin"> = {
  "/admin": "roadie or working group",
  "/admin/transfers": "roadie or working group",
  "/admin/nominations": "roadie or working group",
  "/admin/roadies": "working group",
  "/admin/working-group": "working group",
  "/admin/announcements": "admin",
  "/admin/moderation": "admin",
};

describe("navigation by role", () => {
  it("shows a visitor the site's areas and no personal or role links", () => {
    expect(navigationFor(null)).toEqual({ main: mainAreas, roles: [], account: [] });
  });

  it("shows everyone signed in the same areas and their own pages, applications included", () => {
    const account = navigationFor(noPowers).account.map((l) => l.to);
    expect(navigationFor(noPowers).main).toEqual(mainAreas);
    expect(account).toEqual(
      expect.arrayContaining(["/settings/profile", "/me/interests", "/me/applications", "/settings/notifications"]),
    );
  });

  it("gives a person without a role no role links", () => {
    expect(roleTargets({ volunteer: true })).toEqual([]);
  });

  it("links a roadie to the roadie desk, transfers and nominations, and not to votes or admin pages", () => {
    const links = navigationFor({ ...noPowers, roadie: true }).roles;
    expect(links.map((l) => l.to)).toEqual(["/admin", "/admin/transfers", "/admin/nominations"]);
    expect(links[0]!.label).toBe("Roadie desk");
  });

  it("links a working-group member who is not an admin to the votes too, but not to admin pages", () => {
    const links = roleTargets({ workingGroup: true });
    expect(links).toEqual(
      expect.arrayContaining(["/admin", "/admin/roadies", "/admin/working-group", "/admin/transfers"]),
    );
    expect(links).not.toContain("/admin/announcements");
    expect(links).not.toContain("/admin/moderation");
  });

  it("links an admin to announcements and moderation", () => {
    expect(roleTargets({ admin: true, workingGroup: true })).toEqual(
      expect.arrayContaining(["/admin/announcements", "/admin/moderation", "/admin/roadies"]),
    );
  });

  it("never links a role to an /admin page whose guard would refuse it", () => {
    const cases: [Partial<NavigationPowers>, Set<string>][] = [
      [{ roadie: true }, new Set(["roadie or working group"])],
      [{ workingGroup: true }, new Set(["roadie or working group", "working group"])],
      [{ admin: true }, new Set(["roadie or working group", "working group", "admin"])],
      [{ maintainer: true, volunteer: true }, new Set()],
    ];
    for (const [powers, allowed] of cases) {
      for (const to of roleTargets(powers).filter((t) => t.startsWith("/admin"))) {
        expect(allowed.has(adminPageGuards[to]!), `${JSON.stringify(powers)} → ${to}`).toBe(true);
      }
    }
  });

  it("links an organiser to the review of their programme, and a maintainer to posting a call", () => {
    const links = navigationFor({
      ...noPowers,
      organises: { slug: "gsoc-2027", name: "GSoC 2027" },
      maintainer: true,
    }).roles;
    expect(links).toEqual([
      { to: "/programs/gsoc-2027/review", label: "Review applications: GSoC 2027" },
      { to: "/calls/new", label: "Post a call" },
    ]);
  });

  it("lists each link once, however many roles lead to it", () => {
    const all = navigationFor({
      admin: true,
      workingGroup: true,
      roadie: true,
      organises: { slug: "x", name: "X" },
      maintainer: true,
      volunteer: true,
    });
    const targets = [...all.roles, ...all.account].map((l) => l.to);
    expect(new Set(targets).size).toBe(targets.length);
  });
});
