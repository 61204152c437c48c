import { redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getPackage } from "#app/models/packages.server.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.name} · Roadies` : "Package not found · Roadies" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const pkg = await getPackage(params.name ?? "");
  if (!pkg) throw new Response("Not found", { status: 404 });
  // One address per package: /packages/Django_Foo goes to /packages/django-foo.
  if (params.name !== pkg.normalizedName) throw redirect(`/packages/${pkg.normalizedName}`, 301);
  return {
    name: pkg.name,
    repository: pkg.repository,
    pypiUrl: pkg.pypiUrl,
    description: pkg.description,
    categories: JSON.parse(pkg.categories) as string[],
    classifiers: JSON.parse(pkg.classifiers) as string[],
  };
}

export default function PackagePage() {
  const pkg = useLoaderData<typeof loader>();
  const frameworks = pkg.classifiers
    .filter((c) => c.startsWith("Framework :: Django ::"))
    .map((c) => c.split(" :: ")[2]);
  const pythons = pkg.classifiers
    .filter((c) => /^Programming Language :: Python :: \d+\.\d+$/.test(c))
    .map((c) => c.split(" :: ")[2]);
  return (
    <article className="stack">
      <p>
        <Link to="/packages">← All packages</Link>
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
        Django: {frameworks.length ? frameworks.join(", ") : "not declared in the package's classifiers"}
        <br />
        Python: {pythons.length ? pythons.join(", ") : "not declared in the package's classifiers"}
      </p>
    </article>
  );
}
