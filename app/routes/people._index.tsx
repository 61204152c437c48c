// /people: find volunteers who chose to be found, by skill and level, role, time zone, weekly hours
// and "open to taking over a package". A plain GET form: it works without JavaScript, and the
// anonymous page cache keys it by its parameters (app/page-cache-keys.ts).
import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getCurrentUser } from "#app/models/people/auth.server.ts";
import { searchPeople } from "#app/models/people/directory.server.ts";
import {
  DEFAULT_WITHIN_HOURS,
  leastLevelLabels,
  offsetOptions,
  parsePeopleQuery,
  peopleQueryString,
  withinHours,
} from "#app/models/people/directory.ts";
import { levelLabels, roleLabels } from "#app/models/people/profile.ts";
import { FilterPanel } from "#app/components/filter-panel.tsx";
import { TimeZonePicker } from "#app/components/time-zone-picker.tsx";
import {
  formatOffset,
  offsetDistanceMinutes,
  timeZoneOptions,
  zoneName,
  zoneOrOffsetMinutes,
} from "#app/utils/time.ts";
import { profileRoles, skillLevels } from "#db/schema.ts";
import { skillGroups, skillTaxonomy } from "#db/reference/skills.ts";

export const meta: MetaFunction = () => [{ title: "People · Roadies" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await getCurrentUser(request);
  const query = parsePeopleQuery(new URL(request.url));
  const now = Date.now();
  const search = await searchPeople(Boolean(viewer), query, now);
  const center = query.tz ? zoneOrOffsetMinutes(query.tz, now) : null;
  return {
    query,
    ...search,
    people: search.people.map((p) => ({
      ...p,
      zone: p.timezone ? zoneName(p.timezone, now) : null,
      hoursAway: center !== null && p.offset !== null ? offsetDistanceMinutes(p.offset, center) / 60 : null,
    })),
    chosenZone: query.tz
      ? center !== null && /^UTC[+-]/.test(query.tz)
        ? formatOffset(center)
        : zoneName(query.tz, now)
      : null,
    timeZones: timeZoneOptions(now),
    offsets: offsetOptions(),
    signedIn: Boolean(viewer),
  };
}

const hoursLabel = (h: number) => (h === 0 ? "the same time" : h === 1 ? "1 hour" : `${h} hours`);

export default function People() {
  const d = useLoaderData<typeof loader>();
  const q = d.query;
  const active = [q.role, q.skill, q.level, q.tz, q.hours, q.takeover].filter(Boolean).length;
  return (
    <section className="stack">
      <h1>People</h1>
      <p>
        Volunteers who filled in a profile and chose to be found. Each shows only what they made visible.{" "}
        {d.signedIn ? <Link to="/settings/profile">Edit your own profile</Link> : null}
      </p>
      <Form method="get" className="filters people-filters" role="search" aria-label="People">
        <div className="field">
          <label htmlFor="people-skill">Skill</label>
          <select id="people-skill" name="skill" defaultValue={q.skill ?? ""}>
            <option value="">Any skill</option>
            {skillGroups.map((group) => (
              <optgroup key={group} label={group}>
                {skillTaxonomy
                  .filter((s) => s.group === group)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
              </optgroup>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="people-level">Level</label>
          <select id="people-level" name="level" defaultValue={q.level ?? ""} aria-describedby="people-level-hint">
            <option value="">Any level</option>
            {skillLevels
              .filter((l) => l !== "learning")
              .map((l) => (
                <option key={l} value={l}>
                  {leastLevelLabels[l]}
                </option>
              ))}
          </select>
          <p id="people-level-hint" className="field-hint">
            Of the skill chosen.
          </p>
        </div>
        <FilterPanel activeCount={[q.role, q.tz, q.hours, q.takeover].filter(Boolean).length}>
          <div className="field">
            <label htmlFor="people-role">Would take on</label>
            <select id="people-role" name="role" defaultValue={q.role ?? ""}>
              <option value="">Any role</option>
              {profileRoles.map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="people-tz">Near the time zone</label>
            <TimeZonePicker
              select={{ id: "people-tz", name: "tz", defaultValue: q.tz ?? "" }}
              options={d.timeZones}
              leading={d.offsets}
              emptyLabel="Anywhere"
              fillEmpty={false}
            />
          </div>
          <div className="field">
            <label htmlFor="people-within">Within</label>
            <select id="people-within" name="within" defaultValue={String(q.within ?? DEFAULT_WITHIN_HOURS)}>
              {withinHours.map((h) => (
                <option key={h} value={h}>
                  {h === 0 ? "Same time of day" : `${hoursLabel(h)} either side`}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="people-hours">Hours a week, at least</label>
            <input
              id="people-hours"
              type="number"
              name="hours"
              inputMode="numeric"
              min={1}
              max={80}
              defaultValue={q.hours ?? ""}
            />
          </div>
          <div className="field field-checkbox">
            <input
              id="people-takeover"
              type="checkbox"
              name="takeover"
              value="1"
              defaultChecked={Boolean(q.takeover)}
            />
            <label htmlFor="people-takeover">Open to taking over a package</label>
          </div>
        </FilterPanel>
        <button type="submit" className="button">
          Find people
        </button>
      </Form>
      <p aria-live="polite">
        {d.total} {d.total === 1 ? "person" : "people"}
        {active ? " match" : ""}
        {d.chosenZone ? ` · within ${hoursLabel(q.within ?? DEFAULT_WITHIN_HOURS)} of ${d.chosenZone} today` : ""}
        {active ? (
          <>
            {" "}
            · <Link to="/people">Clear the filters</Link>
          </>
        ) : null}
      </p>
      {d.people.length ? (
        <ul className="package-list people-list">
          {d.people.map((p) => (
            <li key={p.id} className="card stack">
              <h2>
                <Link to={`/people/${p.login}`}>{p.name ?? p.login}</Link>
              </h2>
              <p className="muted">@{p.login}</p>
              <p>
                {p.rolesWanted.map((r) => roleLabels[r]).join(", ") || "No roles given"}
                {p.availabilityHours !== null ? ` · ${p.availabilityHours} h/week` : ""}
              </p>
              {p.zone ? (
                <p>
                  {p.zone}
                  {p.hoursAway !== null ? (
                    <span className="muted">
                      {" "}
                      · {p.hoursAway === 0 ? "same time of day" : `${hoursLabel(p.hoursAway)} away`}
                    </span>
                  ) : null}
                </p>
              ) : null}
              {p.openToTakeover ? (
                <p>
                  <span className="tag">Open to taking over a package</span>
                </p>
              ) : null}
              {p.skills.length ? (
                <ul className="people-skills" aria-label={`Skills of ${p.name ?? p.login}`}>
                  {p.skills.slice(0, 6).map((s) => (
                    <li key={s.skillId} className="tag">
                      {s.name}: {levelLabels[s.level].toLowerCase()}
                    </li>
                  ))}
                  {p.skills.length > 6 ? <li className="muted">and {p.skills.length - 6} more</li> : null}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <div className="card stack">
          <h2>Nobody matches</h2>
          <p>
            {active
              ? "Try a wider time range, a lower level or fewer filters."
              : "Nobody has made a profile visible yet."}{" "}
            {d.signedIn ? <Link to="/settings/profile">Fill in your own profile</Link> : null}
          </p>
        </div>
      )}
      {d.pageCount > 1 ? (
        <nav aria-label="Pages" className="pager">
          {d.page > 1 ? <Link to={peopleQueryString(q, d.page - 1) || "?"}>Previous page</Link> : null}
          <span>
            Page {d.page} of {d.pageCount}
          </span>
          {d.page < d.pageCount ? <Link to={peopleQueryString(q, d.page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
