import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { appLink, useLinkClicks } from "#app/components/link-clicks.tsx";
import { getPackage } from "#app/models/packages/packages.server.ts";
import { getPackageHealth } from "#app/models/packages/health-data.server.ts";
import { PackageHealth } from "#app/components/package-health.tsx";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { packageCallsSection } from "#app/models/calls/listing.server.ts";
import { PackageCalls } from "#app/components/calls-package.tsx";
import { packageNotices } from "#app/models/calls/forms.ts";
import { notFound } from "#app/utils/http.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.name} · Roadies` : "Package not found · Roadies" },
];

function packageNotice(search: URLSearchParams): string | null {
  if (search.has("added")) return "The package is added and you are its verified maintainer. You can now post a call.";
  if (search.has("existing")) {
    return "This package is already on Roadies with verified maintainers (PyPI treats these names as one package), so nothing was added. To post calls for it, ask one of its maintainers to invite you on its Maintainers page; you are confirmed once GitHub shows you with the admin or maintain role on its repository.";
  }
  const claimed = search.get("claimed");
  if (claimed === "not_on_pypi" || claimed === "no_link") {
    return `Your claim is recorded as “claimed, unconfirmed”: GitHub confirmed your role, but ${
      claimed === "not_on_pypi"
        ? "PyPI has no project of this name"
        : "PyPI does not link this project to the repository (its project URLs, home page or Trusted Publishing)"
    }. Until it does, or an admin confirms your claim, you cannot post calls and receive no confidential requests for it.`;
  }
  const code = search.get("notice");
  return code && code in packageNotices ? packageNotices[code as keyof typeof packageNotices] : null;
}

export async function loader({ params, request }: LoaderFunctionArgs) {
  // The session and the package side by side, then everything of the package side by side: two round trips.
  const [viewer, pkg] = await Promise.all([getCurrentUser(request), getPackage(params.name ?? "")]);
  if (!pkg) throw notFound();
  // One address per package: /packages/Django_Foo goes to /packages/django-foo.
  if (params.name !== pkg.normalizedName) throw redirect(`/packages/${pkg.normalizedName}`, 301);
  const [health, calls] = await Promise.all([getPackageHealth(pkg.id, viewer), packageCallsSection(pkg, viewer)]);
  return {
    name: pkg.name,
    repository: pkg.repository,
    pypiUrl: pkg.pypiUrl,
    description: pkg.description,
    categories: pkg.categories,
    // What the page shows of the classifiers, not all of them (dozens) through the payload.
    frameworks: pkg.classifiers.filter((c) => c.startsWith("Framework :: Django ::")).map((c) => c.split(" :: ")[2]),
    pythons: pkg.classifiers
      .filter((c) => /^Programming Language :: Python :: \d+\.\d+$/.test(c))
      .map((c) => c.split(" :: ")[2]),
    health,
    // [calls] maintainers on Roadies, open calls, maintainers' tools.
    slug: pkg.normalizedName,
    calls,
    notice: packageNotice(new URL(request.url).searchParams),
  };
}

export default function PackagePage() {
  const pkg = useLoaderData<typeof loader>();
  const { frameworks, pythons } = pkg;
  const onLinkClick = useLinkClicks();
  // The page's links, its sections' too, are plain <a href> routed by one handler (link-clicks.tsx).
  return (
    <article className="stack" onClick={onLinkClick}>
      <p>
        <a {...appLink} href="/packages">
          ← All packages
        </a>
      </p>
      <h1>{pkg.name}</h1>
      {pkg.description ? <p>{pkg.description}</p> : null}
      <ul>
        {pkg.repository ? (
          <li>
            Repository: <a href={`https://github.com/${pkg.repository}`}>github.com/{pkg.repository}</a>
          </li>
        ) : null}
        {pkg.pypiUrl ? (
          <li>
            PyPI: <a href={pkg.pypiUrl}>{pkg.pypiUrl.replace(/^https:\/\//, "")}</a>
          </li>
        ) : null}
      </ul>
      {pkg.categories.length ? (
        <p>
          {pkg.categories.map((c) => (
            <span key={c} className="tag">
              {c}
            </span>
          ))}
        </p>
      ) : null}
      <h2>Declared support</h2>
      <p>
        {`Django: ${frameworks.length ? frameworks.join(", ") : "not declared in the package's classifiers"}`}
        <br />
        {`Python: ${pythons.length ? pythons.join(", ") : "not declared in the package's classifiers"}`}
      </p>
      {pkg.health ? <PackageHealth health={pkg.health} /> : null}
      {/* [calls] */}
      <PackageCalls slug={pkg.slug} section={pkg.calls} notice={pkg.notice} />
    </article>
  );
}
