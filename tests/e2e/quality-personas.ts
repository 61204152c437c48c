// The demo people the accessibility crawl and the keyboard journeys act as (see db/demo/*.ts for
// why each one holds the role); tests sign in as them with signInAs (tests/support/e2e.ts).

export type Persona = { name: string; login: string | null };

export const personas: Persona[] = [
  { name: "anonymous", login: null },
  // A volunteer with a profile who is neither a roadie, an organiser nor a working-group member.
  { name: "volunteer", login: "mateo-demo" },
  // Verified maintainer of django-htmx and django-environ (db/demo/ecosystem.ts).
  { name: "maintainer", login: "bruno-demo" },
  // Organiser of the Google Summer of Code demo round, not an admin (db/demo/programs.ts).
  { name: "programme organiser", login: "chiara-demo" },
  // Working-group admin (db/demo-people.ts).
  { name: "admin", login: "ada-demo" },
];
