// How the directory, the comparison and the ecosystem review write a package's figures: counts
// with thousands separators, the newest declared Django versions, a Python range.
// Made on first use, as the date formats are (app/utils/dates.ts): a start does not need ICU's data.
let countsFormat: Intl.NumberFormat | undefined;

/** "12,345", or "not known" for a figure not synced yet. */
export function formatCount(n: number | null): string {
  return n === null ? "not known" : (countsFormat ??= new Intl.NumberFormat("en-GB")).format(n);
}

/** The newest three versions ("5.2, 6.0, 6.1"), with a count of the older ones left out. */
export function recentVersions(versions: readonly string[], keep = 3): string {
  const shown = versions.slice(-keep).join(", ");
  const older = versions.length - keep;
  return older > 0 ? `${shown} (+${older} older)` : shown;
}

/** "3.10–3.14" for several Python minors, "3.12" for one. */
export function pythonRange(versions: readonly string[]): string {
  if (versions.length <= 1) return versions[0] ?? "";
  return `${versions[0]}–${versions.at(-1)}`;
}
