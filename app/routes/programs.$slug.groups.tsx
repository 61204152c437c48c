// Organisers: suggested groups (size rules, shared project preference, weekly overlap), adjusted
// by moving people between groups, then confirmed; members are emailed their group once.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useNotices } from "#app/components/notices.ts";
import type { Submission } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { z } from "zod";
import { FormErrors } from "#app/components/field.tsx";
import { confirmGroups, listGroups, saveGroups, suggestProgramGroups } from "#app/models/programs/groups.server.ts";
import { requireProgramOrganiser } from "#app/models/programs/access.server.ts";
import { readFormData } from "#app/utils/form.server.ts";
import { notFound } from "#app/utils/http.server.ts";
import type { Program } from "#db/schema.ts";
import { revalidateAfterConflict } from "#app/utils/revalidate.ts";

/** A refusal because the object changed since the page was loaded (409) shows its current state. */
export const shouldRevalidate = revalidateAfterConflict;

export const meta: MetaFunction = () => [{ title: "Groups · Roadies" }];

/** Save (the default) or confirm; saving reads each participant's `group-<application id>` select. */
const GroupsForm = z.looseObject({ intent: z.enum(["save", "confirm"]).catch("save") });
type Submitted = Extract<Submission<z.output<typeof GroupsForm>>, { status: "success" }>;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { program } = await requireProgramOrganiser(request, params.slug);
  const suggestion = await suggestProgramGroups(program);
  const saved = await listGroups(program.id);
  const people = suggestion ? [...suggestion.mentors, ...suggestion.mentees] : [];
  const mentorIds = new Set(suggestion?.mentors.map((m) => m.applicationId) ?? []);
  const rules = suggestion?.rules ?? null;
  const groupsShown = saved.length
    ? saved.map((g) => ({
        name: g.name,
        confirmed: g.confirmedAt !== null,
        members: g.members.map((m) => ({ id: m.applicationId, login: m.login, role: m.roleName, mentor: m.isMentor })),
      }))
    : (suggestion?.groups ?? []).map((g) => ({
        name: g.name,
        confirmed: false,
        members: [
          ...g.mentors.map((m) => ({ id: m.applicationId, login: m.login, role: "mentor", mentor: true })),
          ...g.mentees.map((m) => ({ id: m.applicationId, login: m.login, role: "mentee", mentor: false })),
        ],
      }));
  const assigned = new Map<number, number>();
  groupsShown.forEach((g, i) => g.members.forEach((m) => assigned.set(m.id, i + 1)));
  return {
    program: { slug: program.slug, name: program.name },
    rules,
    saved: saved.length > 0,
    confirmed: saved.some((g) => g.confirmedAt !== null),
    groups: groupsShown,
    unplaced: (suggestion?.unplaced ?? []).filter((m) => !assigned.has(m.applicationId)).map((m) => m.login),
    people: people.map((m) => ({
      id: m.applicationId,
      login: m.login,
      mentor: mentorIds.has(m.applicationId),
      group: assigned.get(m.applicationId) ?? 0,
    })),
    slots: Math.max(groupsShown.length + 1, 1),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, program } = await requireProgramOrganiser(request, params.slug);
  const submission = parseWithZod(await readFormData(request), { schema: GroupsForm });
  if (submission.status !== "success") return data(submission.reply(), { status: 400 });
  switch (submission.value.intent) {
    case "confirm":
      return confirm(submission, program, user.id);
    case "save":
      return save(submission, program, user.id);
  }
}

async function confirm(submission: Submitted, program: Program, userId: number) {
  const result = await confirmGroups(program, userId);
  if (!result.ok) return data(submission.reply({ formErrors: [result.problem] }), { status: 409 });
  return redirect(`/programs/${program.slug}/groups?confirmed=${result.sent}`);
}

async function save(submission: Submitted, program: Program, userId: number) {
  const suggestion = await suggestProgramGroups(program);
  if (!suggestion) throw notFound();
  const mentorIds = new Set(suggestion.mentors.map((x) => x.applicationId));
  const groups = new Map<number, { name: string; mentorIds: number[]; menteeIds: number[] }>();
  for (const m of [...suggestion.mentors, ...suggestion.mentees]) {
    const n = Number(submission.value[`group-${m.applicationId}`] ?? 0);
    if (!Number.isInteger(n) || n <= 0) continue;
    const g = groups.get(n) ?? { name: `Group ${n}`, mentorIds: [], menteeIds: [] };
    (mentorIds.has(m.applicationId) ? g.mentorIds : g.menteeIds).push(m.applicationId);
    groups.set(n, g);
  }
  const result = await saveGroups(
    program,
    [...groups.entries()].sort((x, y) => x[0] - y[0]).map(([, g]) => g),
    userId,
  );
  if (!result.ok) return data(submission.reply({ formErrors: [result.problem] }), { status: 409 });
  return redirect(`/programs/${program.slug}/groups?saved=1`);
}

export default function Groups() {
  const { program, rules, groups, unplaced, people, slots, saved, confirmed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const params = useNotices(useSearchParams()[0]);
  return (
    <section className="stack">
      <p>
        <Link to={`/programs/${program.slug}`}>← {program.name}</Link>
      </p>
      <h1>Groups</h1>
      <FormErrors errors={result?.error?.[""]} />
      {params.has("confirmed") ? (
        <div className="alert" role="status">
          Groups confirmed; {params.get("confirmed")} members were emailed their group.
        </div>
      ) : params.has("saved") ? (
        <div className="alert" role="status">
          Groups saved.
        </div>
      ) : null}
      {!rules ? (
        <p>This programme does not work in groups.</p>
      ) : (
        <>
          <p>
            Rules: at most {rules.maxPerMentor} mentees per mentor and {rules.maxPerGroup} per group, with at least{" "}
            {rules.minOverlapHours} hours a week when mentees and their mentor are all free.{" "}
            {saved
              ? confirmed
                ? "These groups are confirmed."
                : "These are your saved groups."
              : "This is a suggestion: adjust it and save."}
          </p>
          <div className="grid">
            {groups.map((g) => (
              <section key={g.name} className="card">
                <h2>{g.name}</h2>
                <ul>
                  {g.members.map((m) => (
                    <li key={m.id}>
                      @{m.login} <span className="muted">({m.mentor ? "mentor" : "mentee"})</span>
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          </div>
          {unplaced.length ? (
            <p>Could not place under the rules: {unplaced.map((l) => `@${l}`).join(", ")}. Place them by hand below.</p>
          ) : null}
          {!confirmed && people.length ? (
            <Form method="post" className="stack">
              <h2>Adjust</h2>
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Group of each participant</caption>
                  <thead>
                    <tr>
                      <th scope="col">Participant</th>
                      <th scope="col">Group</th>
                    </tr>
                  </thead>
                  <tbody>
                    {people.map((p) => (
                      <tr key={p.id}>
                        <th scope="row">
                          <label htmlFor={`group-${p.id}`}>@{p.login}</label>
                        </th>
                        <td>
                          <select id={`group-${p.id}`} name={`group-${p.id}`} defaultValue={p.group}>
                            <option value={0}>No group</option>
                            {Array.from({ length: slots }, (_, i) => (
                              <option key={i} value={i + 1}>
                                Group {i + 1}
                              </option>
                            ))}
                          </select>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <p className="actions">
                <button type="submit" name="intent" value="save" className="button button-secondary">
                  Save groups
                </button>
              </p>
            </Form>
          ) : null}
          {saved && !confirmed ? (
            <Form method="post">
              <button type="submit" name="intent" value="confirm" className="button">
                Confirm groups and email members
              </button>
            </Form>
          ) : null}
        </>
      )}
    </section>
  );
}
