// /guides/security: how a Django package maintainer can handle a vulnerability report.
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Handling a vulnerability report · Roadies" },
  { name: "description", content: "A practical guide for Django package maintainers who receive a security report." },
];

export default function SecurityGuide() {
  return (
    <article className="stack narrow prose">
      <h1>Handling a vulnerability report</h1>
      <p>
        Sooner or later someone tells you that your package has a security hole. It is stressful, but it follows a
        pattern, and you do not have to do it alone: you can <Link to="/requests/new">file a security request</Link> and
        an experienced member of our security pool will help you through it, in confidence.
      </p>

      <h2>Before anything happens: give people a private way in</h2>
      <p>
        Reporters need a way to reach you without opening a public issue. Turn on{" "}
        <strong>private vulnerability reporting</strong> in your GitHub repository (Settings → Code security): reporters
        then get a form that opens a draft security advisory only you and they can see. Add a short{" "}
        <code>SECURITY.md</code> that says which versions you support, where to report, and how quickly you aim to
        answer.
      </p>

      <h2>When a report arrives</h2>
      <ol>
        <li>
          <strong>Thank the reporter and say when they will hear from you.</strong> A reply within a few days, even just
          &ldquo;received, looking at it&rdquo;, keeps most reporters from going public out of frustration. An
          unanswered report is one of the clearest signs that a project has gone dormant.
        </li>
        <li>
          <strong>Reproduce it and judge the impact.</strong> Who is affected, under which settings, and what can an
          attacker do? Rate it (critical, high, medium, low) with CVSS if you like; the rating decides how fast you
          move.
        </li>
        <li>
          <strong>Work on the fix in private.</strong> A draft GitHub security advisory gives you a temporary private
          fork where you and invited helpers can prepare and review the patch without showing it to the world.
        </li>
        <li>
          <strong>Ask for a CVE.</strong> From the draft advisory, GitHub can request a CVE identifier for you, as a CVE
          numbering authority. The identifier lets downstream users and scanners track the problem.
        </li>
        <li>
          <strong>Agree a disclosure date.</strong> Settle with the reporter when everything becomes public: typically
          within 90 days of the report, sooner if it is being exploited. Give notice to large downstream users if you
          know them, without the details.
        </li>
        <li>
          <strong>Release, then publish.</strong> Merge the fix, release patched versions for every supported series,
          then publish the advisory (which also feeds the GitHub Advisory Database and tools such as pip-audit), credit
          the reporter, and mention it in your changelog.
        </li>
        <li>
          <strong>Yank if needed.</strong> If a release is dangerous to install at all, <em>yank</em> it on PyPI (Manage
          project → Releases → Options → Yank). A yanked release stays available to those who pin it exactly but is
          skipped by ordinary installs; prefer it to deleting, which breaks people and cannot be undone.
        </li>
      </ol>

      <h2>A model worth copying: Django&rsquo;s own policy</h2>
      <p>
        Django publishes its security process: reports go to a private address, not the issue tracker; the team confirms
        receipt quickly; fixes are prepared privately for all supported versions; a short list of distributors gets
        advance notice about a week before release; and the announcement, the patches and the CVE all appear on the same
        day. A small package can follow the same shape at its own scale.
      </p>

      <h2>Deadlines we use</h2>
      <p>
        When you file a security request on Roadies, an expert must acknowledge it within a time set by its severity:
        one week for critical, two for high, four for medium, eight for low and sixteen when there is none. If they
        cannot, the request moves to the next expert and the working group is told.
      </p>
      <p>
        See also: <Link to="/guides/funding">funding a Django package</Link> ·{" "}
        <Link to="/requests">special requests</Link>
      </p>
    </article>
  );
}
