// /admin/jobs: the scheduled jobs of app/jobs/registry.server.ts for working-group admins — each
// one's schedule, next run and last outcome, a paged history of runs, and "Run now", which asks
// whichever instance's scheduler ticks next to run the job under its lease (audited).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireAdmin } from "#app/models/people/auth.server.ts";
import { scheduledJobs } from "#app/jobs/registry.server.ts";
import {
  jobStates,
  lastJobRuns,
  listJobRuns,
  nextRunAt,
  requestJobRun,
  type JobRunRow,
} from "#app/jobs/scheduler.server.ts";
import { describeCron, formatDuration } from "#app/jobs/schedule.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { invariantResponse } from "#app/utils/http.server.ts";
import { formatDateTime } from "#app/utils/dates.ts";

export const meta: MetaFunction = () => [{ title: "Jobs · Roadies" }];

const PAGE_SIZE = 25;

const jobNamed = (name: unknown) => scheduledJobs.find((j) => j.name === name);

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const params = new URL(request.url).searchParams;
  const raw = params.get("page") ?? "1";
  const page = /^\d{1,6}$/.test(raw) && Number(raw) > 0 ? Number(raw) : 1;
  const filter = jobNamed(params.get("job"))?.name;
  const requested = jobNamed(params.get("requested"))?.name ?? null;
  const now = Date.now();
  const [states, last, runs] = await Promise.all([
    jobStates(),
    lastJobRuns(),
    listJobRuns({ name: filter, limit: PAGE_SIZE + 1, offset: (page - 1) * PAGE_SIZE }),
  ]);
  const jobs = scheduledJobs.map((job) => {
    const state = states.get(job.name);
    return {
      name: job.name,
      description: job.description,
      cron: job.cron,
      schedule: describeCron(job.cron),
      retries: job.retry.attempts - 1,
      nextRunAt: nextRunAt(job, state, now),
      retryPending: state?.retryAt != null,
      requestedAt: state?.requestedAt ?? null,
      lastRun: last.get(job.name) ?? null,
    };
  });
  return { jobs, runs: runs.slice(0, PAGE_SIZE), hasMore: runs.length > PAGE_SIZE, page, filter, requested, now };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const form = await readFormData(request);
  switch (form.get("intent")) {
    case "run-now": {
      const job = jobNamed(form.get("job"));
      invariantResponse(job, "No such job", { status: 400 });
      await requestJobRun(job.name, admin.id);
      return redirect(`/admin/jobs?requested=${encodeURIComponent(job.name)}`);
    }
    default:
      throw new Response("Unknown action", { status: 400 });
  }
}

const OUTCOME_LABELS: Record<JobRunRow["outcome"], string> = {
  running: "Running",
  ok: "Succeeded",
  failed: "Failed",
  abandoned: "Abandoned",
};

const TRIGGER_LABELS: Record<JobRunRow["trigger"], string> = {
  schedule: "scheduled",
  retry: "retry",
  manual: "run now",
  "start-up": "start-up",
};

function Counts({ json }: { json: string | null }) {
  if (!json) return null;
  const counts = JSON.parse(json) as Record<string, number>;
  return (
    <>
      {Object.entries(counts)
        .map(([k, v]) => `${k} ${v}`)
        .join(" · ")}
    </>
  );
}

function Outcome({ run, now }: { run: JobRunRow; now: number }) {
  return (
    <>
      <span className={`tag job-outcome job-outcome-${run.outcome}`}>{OUTCOME_LABELS[run.outcome]}</span>{" "}
      {run.finishedAt === null
        ? `for ${formatDuration(now - run.startedAt)}`
        : formatDuration(run.finishedAt - run.startedAt)}
    </>
  );
}

export default function Jobs() {
  const { jobs, runs, hasMore, page, filter, requested, now } = useLoaderData<typeof loader>();
  const pageLink = (n: number) => `?${new URLSearchParams({ ...(filter ? { job: filter } : {}), page: String(n) })}`;
  return (
    <section className="stack">
      <p>
        <Link to="/admin">← Working group</Link>
      </p>
      <h1>Jobs</h1>
      <p>
        The background work of the site, on a schedule in UTC. One instance at a time runs a job; a failed run is
        retried after 1, 5 and 25 minutes (jobs due every few minutes wait for their next run), and a run whose instance
        stopped is marked abandoned and taken over.
      </p>
      {requested ? (
        <p className="alert" role="status">
          Run of <strong>{requested}</strong> requested: the next scheduler to check (within 15 seconds) starts it,
          unless a run is already under way.
        </p>
      ) : null}
      <div className="table-scroll" role="region" aria-label="Scheduled jobs" tabIndex={0}>
        <table>
          <caption>Scheduled jobs</caption>
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Schedule</th>
              <th scope="col">Next run</th>
              <th scope="col">Last run</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.name}>
                <td>
                  <strong>{job.name}</strong>
                  <br />
                  {job.description}
                </td>
                <td>
                  {job.schedule}
                  <br />
                  <code>{job.cron}</code>
                  <br />
                  {job.retries > 0 ? `Up to ${job.retries} retries` : "No retry: the next run is the retry"}
                </td>
                <td>
                  {job.requestedAt !== null
                    ? "Requested: starts at the next check"
                    : job.nextRunAt <= now
                      ? "Due now"
                      : `${formatDateTime(job.nextRunAt)}${job.retryPending ? " (retry)" : ""}`}
                </td>
                <td>
                  {job.lastRun ? (
                    <>
                      <Outcome run={job.lastRun} now={now} />
                      <br />
                      {formatDateTime(job.lastRun.startedAt)}
                      {job.lastRun.error ? (
                        <>
                          <br />
                          {job.lastRun.error}
                        </>
                      ) : null}
                    </>
                  ) : (
                    "Never run"
                  )}
                </td>
                <td>
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="job" value={job.name} />
                    <button type="submit" name="intent" value="run-now" className="button button-secondary">
                      Run now<span className="visually-hidden">: {job.name}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="runs-title">Runs</h2>
      <Form method="get" className="inline-form" aria-labelledby="runs-title">
        <label htmlFor="runs-job">Job</label>{" "}
        <select id="runs-job" name="job" defaultValue={filter ?? ""}>
          <option value="">All jobs</option>
          {jobs.map((j) => (
            <option key={j.name} value={j.name}>
              {j.name}
            </option>
          ))}
        </select>{" "}
        <button type="submit" className="button button-secondary">
          Show runs
        </button>
      </Form>
      {runs.length === 0 ? (
        <p>No run recorded{filter ? ` for ${filter}` : ""} yet.</p>
      ) : (
        <div className="table-scroll" role="region" aria-label="Job runs" tabIndex={0}>
          <table>
            <caption>
              Runs{filter ? ` of ${filter}` : ""}, newest first (page {page})
            </caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Job</th>
                <th scope="col">Attempt</th>
                <th scope="col">Outcome</th>
                <th scope="col">Counts</th>
                <th scope="col">Error</th>
                <th scope="col">Instance</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <tr key={run.id}>
                  <td>{formatDateTime(run.startedAt)}</td>
                  <td>{run.name}</td>
                  <td>
                    {run.attempt} ({TRIGGER_LABELS[run.trigger]}
                    {run.requestedBy ? ` by @${run.requestedBy}` : ""})
                  </td>
                  <td>
                    <Outcome run={run} now={now} />
                  </td>
                  <td>
                    <Counts json={run.counts} />
                  </td>
                  <td>{run.error}</td>
                  <td>
                    <code>{run.instance}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav className="pager" aria-label="Pages of runs">
        {page > 1 ? <Link to={pageLink(page - 1)}>Newer</Link> : null}
        {hasMore ? <Link to={pageLink(page + 1)}>Older</Link> : null}
      </nav>
    </section>
  );
}
