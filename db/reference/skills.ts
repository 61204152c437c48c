// The skills taxonomy people pick from on their profile and that calls ask for. Ids are stable
// slugs stored in user_skills, so rename a skill's `name` freely but never reuse or change an id.

export const skillGroups = ["Django", "Front end", "Quality", "Operations", "Community"] as const;
export type SkillGroup = (typeof skillGroups)[number];

export type SkillDefinition = { id: string; name: string; group: SkillGroup };

export const skillTaxonomy: readonly SkillDefinition[] = [
  { id: "orm-migrations", name: "ORM and migrations", group: "Django" },
  { id: "database-backends", name: "Database backends", group: "Django" },
  { id: "admin", name: "Admin", group: "Django" },
  { id: "forms", name: "Forms", group: "Django" },
  { id: "templates", name: "Templates", group: "Django" },
  { id: "auth-permissions", name: "Auth and permissions", group: "Django" },
  { id: "async-channels", name: "Async and Channels", group: "Django" },
  { id: "rest-apis", name: "REST APIs", group: "Django" },
  { id: "django-rest-framework", name: "Django REST framework", group: "Django" },
  { id: "caching", name: "Caching", group: "Django" },
  { id: "task-queues", name: "Celery and task queues", group: "Django" },
  { id: "i18n", name: "Internationalisation", group: "Django" },
  { id: "wagtail", name: "Wagtail", group: "Django" },

  { id: "javascript-htmx", name: "JavaScript and HTMX", group: "Front end" },
  { id: "css", name: "CSS", group: "Front end" },
  { id: "accessibility", name: "Accessibility", group: "Front end" },

  { id: "testing", name: "Testing", group: "Quality" },
  { id: "typing", name: "Typing", group: "Quality" },
  { id: "performance", name: "Performance", group: "Quality" },
  { id: "security", name: "Security", group: "Quality" },

  { id: "ci", name: "Continuous integration", group: "Operations" },
  { id: "packaging", name: "Packaging", group: "Operations" },
  { id: "release-management", name: "Release management", group: "Operations" },
  { id: "documentation", name: "Documentation", group: "Operations" },

  { id: "issue-triage", name: "Issue triage", group: "Community" },
  { id: "code-review", name: "Code review", group: "Community" },
  { id: "mentoring", name: "Mentoring", group: "Community" },
  { id: "funding", name: "Funding and sponsorship", group: "Community" },
  { id: "licensing", name: "Licensing", group: "Community" },
  { id: "governance", name: "Governance", group: "Community" },
];
