import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { getFormProps, getInputProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { Field, useSchemaForm } from "#app/components/field.tsx";
import { getCurrentUser, requireAdmin } from "#app/models/people/auth.server.ts";
import { getCompatDrive, setCoordinationThread } from "#app/models/ecosystem/compat.server.ts";
import { compatLabels, type CompatView } from "#app/models/ecosystem/labels.ts";
import { releaseExists } from "#app/models/ecosystem/releases.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import { formatReleaseDate } from "#app/models/ecosystem/version-labels.ts";
import { guideLinks } from "#app/models/guides/paths.ts";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Django ${data.release.version} compatibility drive · Roadies` : "Not found · Roadies" },
];

const ThreadForm = z.object({
  threadUrl: z
    .url({ protocol: /^https?$/, error: "Enter a full web address starting with https://." })
    .max(500, "This address is too long.")
    .optional(),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const drive = await getCompatDrive(params.version ?? "");
  if (!drive) throw notFound();
  const user = await getCurrentUser(request);
  return { ...drive, isAdmin: Boolean(user?.isAdmin) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const version = params.version ?? "";
  if (!(await releaseExists(version))) throw notFound();
  const submission = parseWithZod(await readFormData(request), { schema: ThreadForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  await setCoordinationThread(version, submission.value.threadUrl ?? null, admin.id);
  return redirect(`/compat/${version}`);
}

const order: CompatView[] = ["declared", "compatible", "in_progress", "needs_help", "not_planned", "maybe", "unknown"];

export default function CompatDrive() {
  const d = useLoaderData<typeof loader>();
  const lastResult = useActionData<typeof action>();
  const [form, fields] = useSchemaForm(ThreadForm, {
    lastResult,
    defaultValue: { threadUrl: d.threadUrl ?? "" },
  });
  const percent = d.tracked ? Math.round((d.ready / d.tracked) * 100) : 0;
  return (
    <section className="stack compat-drive">
      <p>
        <Link to="/calendar">← Calendar</Link>
      </p>
      <h1>
        Django {d.release.version}
        {d.release.lts ? " LTS" : ""} compatibility drive
      </h1>
      <p>
        {d.releaseDate ? (
          <>
            {d.released ? "Released on " : d.releaseConfirmed ? "Release on " : "Release planned for "}
            {d.release.approximate.releaseDate ? (
              <>
                <time dateTime={d.releaseDate.slice(0, 7)}>{formatReleaseDate(d.releaseDate, true)}</time> (the day is
                not announced yet)
              </>
            ) : (
              <time dateTime={d.releaseDate}>{d.releaseDate}</time>
            )}
            {d.daysToRelease !== null ? (
              <strong>
                {" "}
                · {d.release.approximate.releaseDate ? "about " : ""}
                {d.daysToRelease} days to go
              </strong>
            ) : null}
            .
          </>
        ) : (
          "The release date is not announced yet."
        )}{" "}
        {d.threadUrl ? (
          <a href={d.threadUrl} rel="noopener">
            Coordination thread
          </a>
        ) : (
          <span className="muted">No coordination thread yet.</span>
        )}
      </p>
      <div className="card">
        <h2 id="progress-heading">Progress</h2>
        <p>
          <strong>
            {d.ready} of {d.tracked}
          </strong>{" "}
          tracked packages declare or report support ({percent}%).
        </p>
        <progress max={d.tracked} value={d.ready} aria-labelledby="progress-heading">
          {percent}%
        </progress>
        <ul className="compat-counts">
          {order.map((s) => (
            <li key={s}>
              <span className={`tag compat-${s}`}>{compatLabels[s]}</span> {d.counts[s]}
            </li>
          ))}
        </ul>
        <p className="muted">
          “Declared” comes from the package&rsquo;s trove classifiers on PyPI; the other statuses are what its
          maintainers reported here. Classifiers lag behind releases, so a package that declares the previous version
          and not this one shows “maybe”.
        </p>
      </div>
      <div className="card">
        <h2>Recommended automation</h2>
        <ul>
          <li>
            Run <a href={guideLinks.djangoUpgrade}>django-upgrade</a> with{" "}
            <code>--target-version {d.release.version}</code> to rewrite deprecated code automatically.
          </li>
          <li>
            <a href={guideLinks.preReleases}>Test against Django pre-releases in CI</a> as soon as the alpha is out, so
            problems show up months before the final release.
          </li>
          <li>
            <a href={guideLinks.classifiers}>Declare the new version in your classifiers</a> once your tests pass.
          </li>
        </ul>
      </div>
      <h2>Packages</h2>
      <div className="table-scroll">
        <table>
          <caption>Status of each tracked package for Django {d.release.version}</caption>
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {d.packages.map((p) => (
              <tr key={p.normalizedName}>
                <th scope="row">
                  <Link to={`/packages/${p.normalizedName}`}>{p.name}</Link>
                </th>
                <td>
                  <span className={`tag compat-${p.status}`}>{compatLabels[p.status]}</span>
                  {p.status === "needs_help" ? (
                    <>
                      {" "}
                      <Link
                        to={`/calls/new?package=${encodeURIComponent(p.normalizedName)}&kind=django-compat&django=${encodeURIComponent(d.release.version)}`}
                      >
                        Post a compatibility call
                      </Link>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <nav aria-label="Other drives">
        <p>
          Other releases:{" "}
          {d.versions.map((v, i) => (
            <span key={v}>
              {i ? " · " : ""}
              {v === d.release.version ? <span aria-current="page">{v}</span> : <Link to={`/compat/${v}`}>{v}</Link>}
            </span>
          ))}
        </p>
      </nav>
      {d.isAdmin ? (
        <Form method="post" {...getFormProps(form)} className="card stack narrow">
          <h2>Coordination thread</h2>
          <Field
            field={fields.threadUrl}
            label="Thread address"
            hint="The Django Forum thread where this drive is coordinated. Leave empty to remove it."
          >
            {(aria) => <input {...getInputProps(fields.threadUrl, { type: "url" })} {...aria} />}
          </Field>
          <p>
            <button type="submit" className="button">
              Save thread
            </button>
          </p>
        </Form>
      ) : null}
    </section>
  );
}
