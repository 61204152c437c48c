// Which repository a URL from PyPI's metadata names: the normalisation the proof of a maintainer's
// link relies on (app/models/packages/repository-links.ts).
import { describe, expect, test } from "vitest";
import { githubRepositoryOf, metadataNaming } from "#app/models/packages/repository-links.ts";

describe("a GitHub URL names its repository in every common spelling", () => {
  test.each([
    "https://github.com/acme/django-widgets",
    "https://github.com/acme/django-widgets/",
    "http://github.com/acme/django-widgets",
    "https://www.github.com/acme/django-widgets",
    "https://GitHub.com/ACME/Django-Widgets",
    "https://github.com/acme/django-widgets.git",
    "git+https://github.com/acme/django-widgets.git",
    "git://github.com/acme/django-widgets.git",
    "git@github.com:acme/django-widgets.git",
    "https://github.com/acme/django-widgets/tree/main",
    "https://github.com/acme/django-widgets/tree/main/src/",
    "https://github.com/acme/django-widgets#readme",
    "https://github.com/acme/django-widgets?tab=readme",
  ])("%s", (url) => {
    expect(githubRepositoryOf(url)).toBe("acme/django-widgets");
  });
});

describe("other URLs name no repository", () => {
  test.each([
    "https://gitlab.com/acme/django-widgets",
    "https://github.com.evil.example/acme/django-widgets",
    "https://evil.example/github.com/acme/django-widgets",
    "https://github.com/acme",
    "https://github.com/sponsors/acme",
    "https://github.com/django/django/blob/main/docs/releases/5.2.txt",
    "https://github.com/acme/django-widgets/issues",
    "https://github.com/acme/../x",
    "",
  ])("%s", (url) => {
    expect(githubRepositoryOf(url)).toBeNull();
  });
});

test("metadataNaming returns the URL that names one of the repositories, compared without case", () => {
  const urls = { Homepage: "https://widgets.example.org", Source: "https://github.com/Acme/Django-Widgets.git" };
  expect(metadataNaming(urls, ["acme/django-widgets"])).toBe("https://github.com/Acme/Django-Widgets.git");
  expect(metadataNaming(urls, ["squatter/django-widgets"])).toBeNull();
});
