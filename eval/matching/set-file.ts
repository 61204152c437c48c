// A labelled set: the matching data (as the product loads it) plus, for each labelled volunteer,
// the item built to fit them and the distractors that each break one rule; and the people who must
// get nothing. Stored as JSON (Maps and Sets as arrays), one record a line.
import { readFileSync, writeFileSync } from "node:fs";
import type {
  History,
  Level,
  MaintainerCall,
  MatchingData,
  Opportunity,
  Volunteer,
} from "#app/models/digest/matching-rules.ts";
import type { RuleName } from "./spec.ts";

export type Label = {
  volunteerId: number;
  /** What kind of person this is (skilled with roles, mentee, roadie…). */
  archetype: string;
  /** Time-zone name behind offsetHours, when they gave one. */
  zone: string | null;
  /** "call:12", "project:5003", "transfer:8001". */
  intended: string;
  distractors: { item: string; breaks: RuleName }[];
};
export type Control = { volunteerId: number; why: string };

export type LabelledSet = {
  name: string;
  profile: string;
  seed: number;
  data: MatchingData;
  labels: Label[];
  controls: Control[];
  /** People regenerated because another item fitted them as well as their intended one, and dropped in the end. */
  regenerated: number;
  dropped: number;
};

type VolunteerJson = Omit<Volunteer, "skills"> & { skills: [string, Level][] };
type OpportunityJson = Opportunity & { maintainerIds?: number[] };
type SetJson = {
  name: string;
  profile: string;
  seed: number;
  regenerated: number;
  dropped: number;
  now: number;
  skillNames: [string, string][];
  labels: Label[];
  controls: Control[];
  ownPackages: [number, number[]][];
  volunteers: VolunteerJson[];
  opportunities: OpportunityJson[];
};

export const itemKey = (o: { kind: string; id: string }) => `${o.kind}:${o.id}`;

export function toJson(set: LabelledSet): string {
  const d = set.data;
  const maintainersOf = new Map(d.maintainerCalls.map((c) => [itemKey(c), c.maintainerIds]));
  const own: [number, number[]][] = [...d.history]
    .filter(([, h]) => h.ownPackageIds.size > 0)
    .map(([id, h]) => [id, [...h.ownPackageIds]]);
  const lines = (xs: unknown[]) => `[\n${xs.map((x) => `    ${JSON.stringify(x)}`).join(",\n")}\n  ]`;
  const head = {
    name: set.name,
    profile: set.profile,
    seed: set.seed,
    regenerated: set.regenerated,
    dropped: set.dropped,
    now: d.now,
    skillNames: [...d.skillNames],
  };
  const body: Record<string, unknown[]> = {
    labels: set.labels,
    controls: set.controls,
    ownPackages: own,
    volunteers: [...d.volunteers.values()].map((v) => ({ ...v, skills: [...v.skills] })),
    opportunities: d.opportunities.map((o) => {
      const ids = maintainersOf.get(itemKey(o));
      return ids ? { ...o, maintainerIds: ids } : o;
    }),
  };
  const parts = [
    ...Object.entries(head).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`),
    ...Object.entries(body).map(([k, v]) => `  ${JSON.stringify(k)}: ${lines(v)}`),
  ];
  return `{\n${parts.join(",\n")}\n}\n`;
}

export function fromJson(text: string): LabelledSet {
  const j = JSON.parse(text) as SetJson;
  const volunteers = new Map<number, Volunteer>(
    j.volunteers.map((v) => [v.id, { ...v, skills: new Map(v.skills) } satisfies Volunteer]),
  );
  const opportunities: Opportunity[] = [];
  const maintainerCalls: MaintainerCall[] = [];
  for (const { maintainerIds, ...o } of j.opportunities) {
    opportunities.push(o);
    if (maintainerIds) maintainerCalls.push({ ...o, maintainerIds });
  }
  const history = new Map<number, History>(
    j.ownPackages.map(([id, pkgs]) => [
      id,
      { ownPackageIds: new Set(pkgs), excluded: new Set(), recentlyShown: new Map() },
    ]),
  );
  return {
    name: j.name,
    profile: j.profile,
    seed: j.seed,
    regenerated: j.regenerated,
    dropped: j.dropped,
    labels: j.labels,
    controls: j.controls,
    data: {
      now: j.now,
      skillNames: new Map(j.skillNames),
      volunteers,
      opportunities,
      maintainerCalls,
      interests: [],
      history,
      lastDigestAt: new Map(),
    },
  };
}

export const readSet = (path: string) => fromJson(readFileSync(path, "utf8"));
export const writeSet = (path: string, set: LabelledSet) => writeFileSync(path, toJson(set));
