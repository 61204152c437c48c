// /guides/funding: the funding avenues open to a Django package.
import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Funding a Django package · Roadies" },
  { name: "description", content: "Where the money for maintaining a Django package can come from." },
];

export default function FundingGuide() {
  return (
    <article className="stack narrow prose">
      <h1>Funding a Django package</h1>
      <p>
        Money will not write your code, but it can buy the hours for a release, a security audit, or a sprint to support
        the next Django version. Here are the avenues Django packages use. Our funding pool can help you choose and
        apply: <Link to="/requests/new">file a funding request</Link>.
      </p>

      <h2>Grants</h2>
      <ul>
        <li>
          <strong>Django Software Foundation grants.</strong> The DSF funds community work that benefits Django users:
          sprints, events, and sometimes work on widely used packages. Applications are short; explain who depends on
          the package and what the money makes possible.
        </li>
        <li>
          <strong>Public-interest technology funds.</strong> Funds such as the Sovereign Tech Fund (now Sovereign Tech
          Agency), NLnet&rsquo;s NGI programmes and Open Technology Fund pay for maintenance, security and accessibility
          work on open infrastructure. They suit packages many others build on, and they reward a clear plan with
          milestones.
        </li>
      </ul>

      <h2>Recurring support</h2>
      <ul>
        <li>
          <strong>GitHub Sponsors.</strong> Individuals and companies sponsor you or your organisation monthly. Add a{" "}
          <code>FUNDING.yml</code> so a Sponsor button appears on the repository.
        </li>
        <li>
          <strong>Open Collective.</strong> A transparent shared budget for a team, held by a fiscal host so you do not
          need your own legal entity; every expense is public.
        </li>
        <li>
          <strong>thanks.dev.</strong> Companies pay once for their whole dependency tree and the money flows down to
          the packages they use, including the small ones deep in the tree.
        </li>
        <li>
          <strong>Tidelift.</strong> Pays maintainers to keep meeting standards companies care about (security response,
          licensing, maintenance) for the organisations that subscribe.
        </li>
      </ul>

      <h2>Making any of them work</h2>
      <ul>
        <li>
          Say plainly what the money pays for: a release per quarter, response to security reports, a new Django
          version.
        </li>
        <li>Show who depends on you: download numbers, notable users, the packages that require yours.</li>
        <li>Decide up front how several maintainers share the money, and write it down.</li>
        <li>Report back to funders: a short note of what their support made possible keeps it coming.</li>
      </ul>
      <p>
        See also: <Link to="/guides/security">handling a vulnerability report</Link> ·{" "}
        <Link to="/requests">special requests</Link>
      </p>
    </article>
  );
}
