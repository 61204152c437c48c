// `npm run eval:matching [-- --set FILE.json …] [-- --seed N … [--profile hard]] [-- --examples N]`
// Runs the digest's matcher over labelled sets (default: eval/matching/sets/*.json; --seed builds an
// unseen one on the fly) and prints, per set, top-1/3/5 accuracy of the intended item, rule breaks
// in any digest line (both sides) and false or misleading reasons, each against its target, with
// examples of failures. Exits 1 when a target is not met.
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createMatcher } from "#app/models/digest/matcher.ts";
import type { Opportunity, Volunteer } from "#app/models/digest/matching-rules.ts";
import { countBy, evaluate, problemKinds, TARGETS, type LineFinding, type Result } from "./evaluate.ts";
import { generate } from "./generate.ts";
import { PROBLEM_LABELS } from "./reasons.ts";
import { itemKey, readSet, type LabelledSet } from "./set-file.ts";
import { fitRange, metSkills, prior, ruleBreaks } from "./spec.ts";

const { values } = parseArgs({
  options: {
    set: { type: "string", multiple: true },
    seed: { type: "string", multiple: true },
    profile: { type: "string", default: "hard" },
    examples: { type: "string", default: "3" },
    /** Another matcher module exporting createMatcher (e.g. a copy of the previous one), to compare. */
    matcher: { type: "string" },
  },
});
const matcherModule = values.matcher
  ? ((await import(pathToFileURL(resolve(values.matcher)).href)) as { createMatcher: typeof createMatcher })
  : { createMatcher };
const examples = Number(values.examples);
const SETS_DIR = "eval/matching/sets";

const sets: (() => LabelledSet)[] = [];
for (const file of values.set ?? []) sets.push(() => readSet(file));
for (const seed of values.seed ?? [])
  sets.push(() => generate(values.profile!, Number(seed), `unseen ${values.profile} seed ${seed}`));
if (sets.length === 0) {
  for (const f of readdirSync(SETS_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort())
    sets.push(() => readSet(join(SETS_DIR, f)));
}

const pct = (n: number, of: number) => (of === 0 ? "n/a" : `${((100 * n) / of).toFixed(1)}%`);
const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
const row = (what: string, value: string, target: string, ok: boolean | null) =>
  `  ${what.padEnd(20)} ${value.padEnd(52)} ${target.padEnd(14)} ${ok === null ? "" : verdict(ok)}`;

function person(v: Volunteer): string {
  const skills = [...v.skills].map(([s, l]) => `${s}:${l}`).join(", ") || "no skills";
  return (
    `@${v.login} [${skills}] roles [${v.rolesWanted.join(", ")}] hours ${v.availabilityHours ?? "?"} ` +
    `UTC${v.offsetHours === null ? "?" : (v.offsetHours >= 0 ? "+" : "") + v.offsetHours} Django [${v.djangoVersions.join(", ")}]` +
    `${v.isRoadie ? " roadie" : ""}${v.isAlumnus ? " alumnus" : ""}`
  );
}
function item(o: Opportunity): string {
  const skills = o.skills.map((s) => `${s.skillId}:${s.level}`).join(", ") || "no skills";
  return (
    `${itemKey(o)} ${o.callKind ?? o.kind}${o.mentoring ? " (mentoring)" : ""}${o.requires ? ` (${o.requires} only)` : ""} ` +
    `[${skills}] ${o.hoursPerWeek ?? "?"} h/week, maintainers UTC[${o.maintainerOffsets.join(", ")}], ` +
    `Django [${o.djangoVersions.join(", ")}], ${o.urgency}`
  );
}
function judged(v: Volunteer, o: Opportunity, now: number): string {
  const [lo, hi] = fitRange(v, o);
  const fit = lo === hi ? lo.toFixed(3) : `${lo.toFixed(3)}–${hi.toFixed(3)}`;
  const breaks = ruleBreaks(v, o);
  return `spec fit ${fit}, prior ${prior(o, now).toFixed(3)}, ${metSkills(v, o)} skills met${breaks.length ? `, BREAKS ${breaks.join("+")}` : ""}`;
}

function report(set: LabelledSet, r: Result): boolean {
  const { data } = set;
  const items = new Map(data.opportunities.map((o) => [itemKey(o), o]));
  const n = r.labelled;
  const allLines = r.lines.volunteer + r.lines.maintainer;
  const ok1 = r.top[1] >= TARGETS.top1 * n;
  const ok3 = r.top[3] >= TARGETS.top3 * n;
  const okRules = r.breaking.length === 0 && r.controlLines === 0;
  const okReasons = r.misleading.length === 0;
  const side = (f: LineFinding[], s: string) => f.filter((x) => x.side === s).length;
  console.log(
    `\n== ${set.name} (profile ${set.profile}, seed ${set.seed}): ${n} labelled volunteers ` +
      `(${set.dropped} dropped as ambiguous, ${set.regenerated} rebuilds), ${set.controls.length} who must get nothing, ` +
      `${data.opportunities.length} items, ${data.volunteers.size} people; matched in ${(r.ms / 1000).toFixed(2)} s`,
  );
  console.log(row("top-1 accuracy", `${pct(r.top[1], n)} (${r.top[1]}/${n})`, "≥ 80%", ok1));
  console.log(row("top-3 accuracy", `${pct(r.top[3], n)} (${r.top[3]}/${n})`, "≥ 95%", ok3));
  console.log(row("top-5 accuracy", `${pct(r.top[5], n)} (${r.top[5]}/${n})`, "", null));
  const inTop3 = r.breaking.filter((f) => f.side === "volunteer" && f.position <= 3).length;
  console.log(
    row(
      "rule breaks",
      `${r.breaking.length} of ${allLines} lines (volunteer ${side(r.breaking, "volunteer")}/${r.lines.volunteer}, ` +
        `maintainer ${side(r.breaking, "maintainer")}/${r.lines.maintainer}); ${inTop3} in a top 3`,
      "0",
      okRules,
    ),
  );
  if (r.breaking.length > 0) {
    console.log(
      `    by rule: ${countBy(r.breaking.flatMap((f) => f.breaks))
        .map(([k, c]) => `${k} ${c}`)
        .join(", ")}`,
    );
  }
  if (r.controlLines > 0) console.log(`    ${r.controlLines} lines went to people who offer 0 hours or list nothing`);
  console.log(
    row(
      "misleading reasons",
      `${r.misleading.length} of ${allLines} lines (volunteer ${side(r.misleading, "volunteer")}, maintainer ${side(r.misleading, "maintainer")})`,
      "0",
      okReasons,
    ),
  );
  for (const [k, c] of countBy(problemKinds(r.misleading))) console.log(`    ${c} lines: ${PROBLEM_LABELS[k]}`);

  if (examples > 0 && r.misses.length > 0) {
    console.log(`  -- intended item not first (${r.misses.length}); first ${Math.min(examples, r.misses.length)}:`);
    for (const miss of r.misses.slice(0, examples)) {
      const v = data.volunteers.get(miss.label.volunteerId)!;
      const intended = items.get(miss.label.intended)!;
      console.log(`  ${person(v)} (${miss.label.archetype}${miss.label.zone ? `, ${miss.label.zone}` : ""})`);
      console.log(`    intended ${item(intended)}; ${judged(v, intended, data.now)}`);
      console.log(`    ranked ${miss.rank ?? "nowhere (not in the digest)"}; above it:`);
      const above = miss.rank === null ? miss.lines.slice(0, 3) : miss.lines.slice(0, miss.rank - 1).slice(0, 3);
      for (const line of above) {
        const o = items.get(itemKey(line));
        console.log(`      ${line.score.toFixed(3)} ${o ? item(o) : itemKey(line)}`);
        if (o) console.log(`            ${judged(v, o, data.now)}; reasons: ${line.reasons.join(" | ")}`);
      }
    }
  }
  const show = (title: string, f: LineFinding[], what: (x: LineFinding) => string) => {
    if (examples === 0 || f.length === 0) return;
    console.log(`  -- ${title} (${f.length} lines); first ${Math.min(examples, f.length)}:`);
    for (const x of f.slice(0, examples)) {
      const who =
        x.side === "volunteer"
          ? `to @${x.volunteer?.login}`
          : `to maintainer ${x.readerId} about @${x.volunteer?.login}`;
      console.log(`    ${x.side} line ${x.position} ${who}: ${x.line.kind}:${x.line.id} — ${what(x)}`);
      console.log(`      reasons: ${x.line.reasons.join(" | ") || "(none)"}`);
    }
  };
  show("rule breaks", r.breaking, (x) => x.breaks.join(", "));
  show("misleading reasons", r.misleading, (x) =>
    x.problems.map((p) => `${p.kind}: ${p.detail}${p.reason ? ` in "${p.reason}"` : ""}`).join("; "),
  );
  return ok1 && ok3 && okRules && okReasons;
}

let allMet = true;
for (const load of sets) {
  const set = load();
  allMet = report(set, evaluate(set, matcherModule.createMatcher)) && allMet;
}
console.log(`\n${allMet ? "Every target met." : "Some targets NOT met."}`);
process.exitCode = allMet ? 0 : 1;
