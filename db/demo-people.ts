// Fictional people for demo mode: seeded as users by db/demo.ts and offered as identities by the
// GitHub stand-in's sign-in picker (server.ts). Plain data only, so both can import it cheaply.
// Everyone here is invented; the .invalid domain (RFC 2606) guarantees no email can ever leave.

export type DemoSkillLevel = "learning" | "comfortable" | "expert";

export type DemoPerson = {
  /** GitHub's numeric user id; 90000001 and up, far from ids a test might use. */
  githubId: number;
  login: string;
  name: string;
  email: string;
  /** ISO timestamp of the GitHub account's creation. */
  githubCreatedAt: string;
  /** IANA time zone. */
  timezone: string;
  /** Hours a week the person says they can give. */
  availabilityHours: number;
  bio: string;
  /** Working-group admins. */
  isAdmin: boolean;
  skills: { skillId: string; level: DemoSkillLevel }[];
};

const DAY_MS = 24 * 60 * 60 * 1000;

/** One brand-new account, so trust rules about young GitHub accounts have someone to apply to. */
const NEWCOMER_CREATED_AT = new Date(Date.now() - 30 * DAY_MS).toISOString();

function email(login: string): string {
  return `${login}@demo.roadies.invalid`;
}

export const demoPeople: DemoPerson[] = [
  {
    githubId: 90000001,
    login: "ada-demo",
    name: "Ada Demo",
    email: email("ada-demo"),
    githubCreatedAt: "2010-05-17T08:21:00Z",
    timezone: "Europe/London",
    availabilityHours: 6,
    bio: "Has run package transfers for years and keeps the working group's queue moving. Happy to pair on a first release.",
    isAdmin: true,
    skills: [
      { skillId: "governance", level: "expert" },
      { skillId: "release-management", level: "expert" },
      { skillId: "packaging", level: "expert" },
      { skillId: "orm-migrations", level: "comfortable" },
      { skillId: "mentoring", level: "comfortable" },
      { skillId: "licensing", level: "comfortable" },
    ],
  },
  {
    githubId: 90000002,
    login: "kofi-demo",
    name: "Kofi Demo",
    email: email("kofi-demo"),
    githubCreatedAt: "2013-09-02T14:05:00Z",
    timezone: "Africa/Accra",
    availabilityHours: 4,
    bio: "Working-group admin who reads every new call before it goes out. Mostly reviews auth and permission code.",
    isAdmin: true,
    skills: [
      { skillId: "auth-permissions", level: "expert" },
      { skillId: "security", level: "expert" },
      { skillId: "code-review", level: "comfortable" },
      { skillId: "governance", level: "comfortable" },
      { skillId: "issue-triage", level: "comfortable" },
    ],
  },
  {
    githubId: 90000003,
    login: "bruno-demo",
    name: "Bruno Demo",
    email: email("bruno-demo"),
    githubCreatedAt: "2014-02-11T19:40:00Z",
    timezone: "America/Sao_Paulo",
    availabilityHours: 8,
    bio: "Builds APIs for a living and would like to give some evenings back to the serializers he relies on.",
    isAdmin: false,
    skills: [
      { skillId: "django-rest-framework", level: "expert" },
      { skillId: "rest-apis", level: "expert" },
      { skillId: "testing", level: "comfortable" },
      { skillId: "typing", level: "learning" },
    ],
  },
  {
    githubId: 90000004,
    login: "chiara-demo",
    name: "Chiara Demo",
    email: email("chiara-demo"),
    githubCreatedAt: "2012-11-23T10:00:00Z",
    timezone: "Europe/Rome",
    availabilityHours: 3,
    bio: "Translator turned developer. Cares about right-to-left layouts and plural forms that actually work.",
    isAdmin: false,
    skills: [
      { skillId: "i18n", level: "expert" },
      { skillId: "templates", level: "comfortable" },
      { skillId: "documentation", level: "comfortable" },
      { skillId: "accessibility", level: "learning" },
    ],
  },
  {
    githubId: 90000005,
    login: "dev-demo",
    name: "Dev Demo",
    email: email("dev-demo"),
    githubCreatedAt: "2016-07-04T03:30:00Z",
    timezone: "Asia/Kolkata",
    availabilityHours: 10,
    bio: "Spends weekends profiling slow querysets. Would take on a package with a database-heavy test suite.",
    isAdmin: false,
    skills: [
      { skillId: "performance", level: "expert" },
      { skillId: "orm-migrations", level: "expert" },
      { skillId: "database-backends", level: "comfortable" },
      { skillId: "caching", level: "comfortable" },
      { skillId: "ci", level: "comfortable" },
      { skillId: "testing", level: "comfortable" },
    ],
  },
  {
    githubId: 90000006,
    login: "emi-demo",
    name: "Emi Demo",
    email: email("emi-demo"),
    githubCreatedAt: "2015-04-19T01:12:00Z",
    timezone: "Asia/Tokyo",
    availabilityHours: 5,
    bio: "Front-end engineer who keeps admin widgets usable from a keyboard.",
    isAdmin: false,
    skills: [
      { skillId: "accessibility", level: "expert" },
      { skillId: "javascript-htmx", level: "expert" },
      { skillId: "css", level: "comfortable" },
      { skillId: "admin", level: "comfortable" },
      { skillId: "forms", level: "learning" },
    ],
  },
  {
    githubId: 90000007,
    login: "farah-demo",
    name: "Farah Demo",
    email: email("farah-demo"),
    githubCreatedAt: "2018-01-30T12:45:00Z",
    timezone: "Asia/Dubai",
    availabilityHours: 2,
    bio: "Writes documentation that answers the question people actually asked. Short on time, long on patience.",
    isAdmin: false,
    skills: [
      { skillId: "documentation", level: "expert" },
      { skillId: "issue-triage", level: "comfortable" },
      { skillId: "mentoring", level: "comfortable" },
    ],
  },
  {
    githubId: 90000008,
    login: "gus-demo",
    name: "Gus Demo",
    email: email("gus-demo"),
    githubCreatedAt: "2009-10-08T22:10:00Z",
    timezone: "America/Los_Angeles",
    availabilityHours: 4,
    bio: "Has shipped more package releases than he can count and wants fewer of them to be done by hand.",
    isAdmin: false,
    skills: [
      { skillId: "packaging", level: "expert" },
      { skillId: "ci", level: "expert" },
      { skillId: "release-management", level: "comfortable" },
      { skillId: "security", level: "comfortable" },
      { skillId: "typing", level: "comfortable" },
      { skillId: "code-review", level: "comfortable" },
      { skillId: "funding", level: "learning" },
    ],
  },
  {
    githubId: 90000009,
    login: "hana-demo",
    name: "Hana Demo",
    email: email("hana-demo"),
    githubCreatedAt: "2017-06-15T06:55:00Z",
    timezone: "Europe/Berlin",
    availabilityHours: 6,
    bio: "Runs background jobs for a logistics company and knows where task queues lose messages.",
    isAdmin: false,
    skills: [
      { skillId: "task-queues", level: "expert" },
      { skillId: "async-channels", level: "comfortable" },
      { skillId: "caching", level: "comfortable" },
      { skillId: "performance", level: "learning" },
    ],
  },
  {
    githubId: 90000010,
    login: "iker-demo",
    name: "Iker Demo",
    email: email("iker-demo"),
    githubCreatedAt: "2019-03-03T17:20:00Z",
    timezone: "America/Mexico_City",
    availabilityHours: 3,
    bio: "Builds sites on Wagtail for museums and libraries. Interested in co-maintaining a menu or page-tree package.",
    isAdmin: false,
    skills: [
      { skillId: "wagtail", level: "expert" },
      { skillId: "templates", level: "expert" },
      { skillId: "admin", level: "comfortable" },
      { skillId: "css", level: "learning" },
    ],
  },
  {
    githubId: 90000011,
    login: "jo-demo",
    name: "Jo Demo",
    email: email("jo-demo"),
    githubCreatedAt: "2011-08-27T09:05:00Z",
    timezone: "Australia/Sydney",
    availabilityHours: 5,
    bio: "Licence and funding nerd. Helps projects set up sponsorship and keep their paperwork tidy.",
    isAdmin: false,
    skills: [
      { skillId: "licensing", level: "expert" },
      { skillId: "funding", level: "expert" },
      { skillId: "governance", level: "comfortable" },
      { skillId: "mentoring", level: "comfortable" },
    ],
  },
  {
    githubId: 90000012,
    login: "lena-demo",
    name: "Lena Demo",
    email: email("lena-demo"),
    githubCreatedAt: "2020-10-12T11:30:00Z",
    timezone: "America/New_York",
    availabilityHours: 7,
    bio: "Test-suite gardener: flaky tests, old Python versions and matrix builds are her idea of fun.",
    isAdmin: false,
    skills: [
      { skillId: "testing", level: "expert" },
      { skillId: "ci", level: "comfortable" },
      { skillId: "forms", level: "comfortable" },
      { skillId: "code-review", level: "comfortable" },
      { skillId: "typing", level: "learning" },
    ],
  },
  {
    githubId: 90000013,
    login: "mateo-demo",
    name: "Mateo Demo",
    email: email("mateo-demo"),
    githubCreatedAt: "2022-05-09T15:00:00Z",
    timezone: "Africa/Nairobi",
    availabilityHours: 8,
    bio: "A year into Django and looking for a maintainer to learn from, starting with triage.",
    isAdmin: false,
    skills: [
      { skillId: "issue-triage", level: "comfortable" },
      { skillId: "rest-apis", level: "learning" },
      { skillId: "orm-migrations", level: "learning" },
    ],
  },
  {
    githubId: 90000014,
    login: "nia-demo",
    name: "Nia Demo",
    email: email("nia-demo"),
    githubCreatedAt: NEWCOMER_CREATED_AT,
    timezone: "Pacific/Auckland",
    availabilityHours: 2,
    bio: "Opened a GitHub account last month after a Djangonaut Space info session.",
    isAdmin: false,
    skills: [
      { skillId: "documentation", level: "learning" },
      { skillId: "templates", level: "learning" },
      { skillId: "accessibility", level: "learning" },
    ],
  },
];
