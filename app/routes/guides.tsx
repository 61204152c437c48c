// Best practices for Django package maintainers, in our own words. Each section has an anchor that
// the package page's best-practice check and the compatibility drives link to.
import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [
  { title: "Guides for package maintainers · Roadies" },
  { name: "description", content: "Practical habits that keep a Django package easy to use, upgrade and hand over." },
];

const guides = [
  { id: "supported-versions", title: "Support the Django versions Django supports" },
  { id: "pre-releases", title: "Test against Django pre-releases in CI" },
  { id: "django-upgrade", title: "Let django-upgrade do the mechanical work" },
  { id: "classifiers", title: "Declare classifiers and requires_python" },
  { id: "trusted-publishing", title: "Publish with Trusted Publishing, and state your licence" },
  { id: "naming", title: "Name your reusable app clearly and link its source" },
  { id: "co-maintainers", title: "Find co-maintainers before you need them" },
];

export default function Guides() {
  return (
    <article className="stack guides prose">
      <h1>Guides for package maintainers</h1>
      <p>
        Short, practical advice gathered by the working group. None of it is a rule: it is what makes a package easy for
        people to depend on, and easy for you (or someone after you) to keep going.
      </p>
      <nav aria-label="Guides">
        <ol>
          {guides.map((g) => (
            <li key={g.id}>
              <a href={`#${g.id}`}>{g.title}</a>
            </li>
          ))}
        </ol>
        <p>
          More: <a href="/guides/security">handling security reports</a> ·{" "}
          <a href="/guides/funding">funding a Django package</a>
        </p>
      </nav>

      <section aria-labelledby="supported-versions">
        <h2 id="supported-versions">Support the Django versions Django supports</h2>
        <p>
          Django publishes, for every feature release, how long it gets fixes: about eight months of mainstream support,
          then security fixes until the release after next; a long-term support (LTS) release gets security fixes for
          about three years. The <a href="/calendar">calendar</a> shows every window.
        </p>
        <p>A policy that users can predict works best. A simple one:</p>
        <ul>
          <li>support every Django release that Django itself still supports, and no older one;</li>
          <li>drop a Django version in the first release of yours after Django stops supporting it;</li>
          <li>for Python, follow the Pythons that your supported Django versions accept.</li>
        </ul>
        <p>
          Write the policy in your README or changelog. Dropping old versions is then a routine step rather than a
          decision to argue about each time.
        </p>
      </section>

      <section aria-labelledby="pre-releases">
        <h2 id="pre-releases">Test against Django pre-releases in CI</h2>
        <p>
          Each Django release goes through an alpha (the feature freeze), a beta and a release candidate, months before
          the final version. Add the upcoming version to your test matrix as soon as the alpha is on PyPI: most breakage
          comes from deprecations that turn into removals, and they are much easier to fix months ahead than on release
          day.
        </p>
        <p>
          With tox or nox, add an environment that installs the pre-release (for example{" "}
          <code>pip install --pre &quot;Django&gt;=6.2a1&quot;</code>), and one for Django&rsquo;s main branch if you
          can afford it. Mark the main branch job as allowed to fail so it warns without blocking your own releases.
          Also run your tests with <code>python -W error::DeprecationWarning</code> now and then: it lists what the next
          release will remove.
        </p>
        <p>
          Once your tests pass on the release candidate, make a release that declares the new version, so that your
          users can upgrade Django on day one.
        </p>
      </section>

      <section aria-labelledby="django-upgrade">
        <h2 id="django-upgrade">Let django-upgrade do the mechanical work</h2>
        <p>
          <a href="https://github.com/adamchainz/django-upgrade">django-upgrade</a> rewrites code that uses deprecated
          Django APIs into the current form. Run it with the oldest Django version you support as the target, for
          example <code>django-upgrade --target-version 4.2</code>, so the rewritten code still works everywhere you
          claim to work.
        </p>
        <p>
          Running it from pre-commit keeps new code clean too. Pair it with pyupgrade for Python syntax, using your
          lowest supported Python.
        </p>
      </section>

      <section aria-labelledby="classifiers">
        <h2 id="classifiers">Declare classifiers and requires_python</h2>
        <p>
          Trove classifiers are how tools and people (Roadies included) learn which versions you support without reading
          your CI files. In <code>pyproject.toml</code>, list one <code>Framework :: Django :: X.Y</code> per supported
          Django version and one <code>Programming Language :: Python :: 3.N</code> per supported Python. Avoid the bare{" "}
          <code>Framework :: Django :: 6</code> form: it does not say which 6.x releases you tested.
        </p>
        <p>
          Set <code>requires-python</code> to your lowest supported Python (for example <code>&gt;=3.10</code>) and do
          not add an upper bound: pip uses it to pick a version of your package that works on the user&rsquo;s Python,
          and an upper bound makes installs fail on new Pythons even when your code would work. Keep it consistent with
          your classifiers: every Python you declare should be allowed, and the Pythons of the Django versions you
          declare should be too.
        </p>
        <p>
          Classifiers lag behind reality. Update them in the same pull request that adds a version to your CI matrix.
        </p>
      </section>

      <section aria-labelledby="trusted-publishing">
        <h2 id="trusted-publishing">Publish with Trusted Publishing, and state your licence</h2>
        <p>
          PyPI&rsquo;s Trusted Publishing lets a CI workflow (GitHub Actions, GitLab CI and others) upload releases
          without any long-lived API token: PyPI trusts a short-lived identity issued to that one workflow. Nothing to
          leak, nothing to rotate, and releases can be made by any maintainer who can push a tag, not only the person
          who holds the token. Configure it in your project&rsquo;s publishing settings on PyPI, then use the official
          publish action in a dedicated, protected environment.
        </p>
        <p>
          Also say under which licence people may use your code: a <code>LICENSE</code> file in the repository and the{" "}
          <code>license</code> field (an SPDX expression such as <code>BSD-3-Clause</code>) in your metadata. Without a
          licence, companies cannot use the package and nobody can legally take it over.
        </p>
      </section>

      <section aria-labelledby="naming">
        <h2 id="naming">Name your reusable app clearly and link its source</h2>
        <p>
          Most reusable Django apps are published as <code>django-something</code> on PyPI and imported as{" "}
          <code>something</code> or <code>django_something</code>. Pick a name that says what the app does, check that
          neither the distribution name nor the import name is taken, and keep them recognisably the same so people can
          find the code from an import line.
        </p>
        <p>
          Link the source repository, the documentation, the changelog and the issue tracker in{" "}
          <code>[project.urls]</code>: PyPI shows them on the project page, and Roadies uses them to tell users where
          the work happens.
        </p>
      </section>

      <section aria-labelledby="co-maintainers">
        <h2 id="co-maintainers">Find co-maintainers before you need them</h2>
        <p>
          Packages rarely die because the code is bad; they stall because the one person who can merge and release gets
          busy. Bringing a second maintainer in while you still have time to show them around is far easier than a
          rescue later.
        </p>
        <ul>
          <li>give at least two people the rights to merge, to publish on PyPI and to administer the repository;</li>
          <li>write down how a release is made, ideally automated so that anyone trusted can make one;</li>
          <li>label approachable issues and answer first pull requests quickly: that is how co-maintainers start;</li>
          <li>
            when you want help, <a href="/calls/new">post a call</a> on Roadies; if you want to hand the package over, a
            shared home such as Django Commons or Jazzband keeps it available to the community.
          </li>
        </ul>
      </section>
    </article>
  );
}
