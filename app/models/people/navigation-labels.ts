// Navigation by role: the one place that decides which links a person sees in the header (the
// desktop account menu and the phone menu both render what `navigationFor` returns). Pure: the
// powers come from `loadNavigationPowers` (navigation.server.ts) and the session's `isAdmin`; each
// link here points to a page whose guard lets that person in (see the comments per group).

export type NavLink = { to: string; label: string };

/** What a signed-in person holds now, as far as the header needs to know. */
export type NavigationPowers = {
  /** Effective admin (flag, current working-group stint, not suspended: powers.server.ts). */
  admin: boolean;
  /** A current working-group stint. */
  workingGroup: boolean;
  /** A current roadie stint. */
  roadie: boolean;
  /** The newest programme they hold an organiser seat of, if any. */
  organises: { slug: string; name: string } | null;
  /** A verified maintainer of at least one package. */
  maintainer: boolean;
  /** Has a volunteer profile. */
  volunteer: boolean;
};

export type Navigation = {
  /** The site's areas: the same for everyone. */
  main: NavLink[];
  /** The pages of the person's roles (empty for someone who holds none). */
  roles: NavLink[];
  /** The person's own pages. */
  account: NavLink[];
};

export const mainAreas: NavLink[] = [
  { to: "/calls", label: "Calls" },
  { to: "/packages", label: "Packages" },
  { to: "/calendar", label: "Calendar" },
  { to: "/ecosystem", label: "Ecosystem" },
  { to: "/guides", label: "Guides" },
  { to: "/programs", label: "Programmes" },
  { to: "/roadies", label: "Roadies" },
  { to: "/people", label: "People" },
];

export const noPowers: NavigationPowers = {
  admin: false,
  workingGroup: false,
  roadie: false,
  organises: null,
  maintainer: false,
  volunteer: false,
};

/** The links of a person's roles, in the order of the account menu. */
function roleLinks(p: NavigationPowers): NavLink[] {
  const member = p.admin || p.workingGroup;
  const links: NavLink[] = [];
  // /admin, /admin/transfers and /admin/nominations: requireRoadieOrWorkingGroup.
  if (member || p.roadie) {
    links.push({ to: "/admin", label: member ? "Working group" : "Roadie desk" });
  }
  // /admin/roadies and /admin/working-group (the votes): requireWorkingGroup.
  if (member) {
    links.push({ to: "/admin/roadies", label: "Roadie applications" });
    links.push({ to: "/admin/working-group", label: "Working-group votes" });
  }
  if (member || p.roadie) {
    links.push({ to: "/admin/transfers", label: "Transfers" });
    links.push({ to: "/admin/nominations", label: "Nominations" });
  }
  // /admin/announcements and /admin/moderation: requireAdmin.
  if (p.admin) {
    links.push({ to: "/admin/announcements", label: "Call announcements" });
    links.push({ to: "/admin/moderation", label: "Moderation" });
  }
  // The review of a programme: requireProgramOrganiser (admins organise every programme and find
  // them under Programmes, so they get no link to one in particular).
  if (p.organises && !p.admin) {
    links.push({ to: `/programs/${p.organises.slug}/review`, label: `Review applications: ${p.organises.name}` });
  }
  // /calls/new lists the packages the person verifiably maintains (every package for an admin).
  if (p.maintainer || p.admin) links.push({ to: "/calls/new", label: "Post a call" });
  return links;
}

function accountLinks(p: NavigationPowers): NavLink[] {
  return [
    { to: "/settings/profile", label: p.volunteer ? "Your volunteer profile" : "Create your volunteer profile" },
    { to: "/me/interests", label: "My interests" },
    { to: "/me/applications", label: "My applications" },
    { to: "/requests", label: "Special requests" },
    { to: "/settings/notifications", label: "Notifications" },
    { to: "/settings/email", label: "Email addresses" },
    { to: "/settings/account", label: "Account and data" },
    { to: "/settings/sessions", label: "Sessions" },
  ];
}

/** The header's links for a signed-in person (with their powers), or for a visitor (null). */
export function navigationFor(powers: NavigationPowers | null): Navigation {
  if (!powers) return { main: mainAreas, roles: [], account: [] };
  return { main: mainAreas, roles: roleLinks(powers), account: accountLinks(powers) };
}
