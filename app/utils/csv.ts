// The one CSV writer for every export: RFC 4180 quoting, CRLF line ends, text hygiene, and a guard
// against formula injection (OWASP "CSV injection") for spreadsheets that open the file.
import { cleanText } from "#app/utils/text.ts";

export type CsvValue = string | number | null | undefined;

/** One cell: numbers as written; text cleaned, formula-leading text prefixed with `'`, quoted when needed. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return String(value);
  let text = cleanText(value);
  // A spreadsheet runs cells starting with these as formulas (tab and CR too, after trimming).
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  // Quote `;` too: spreadsheets in many locales split on it.
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as a CSV document (RFC 4180: CRLF after every record). */
export function toCsv(rows: CsvValue[][]): string {
  return rows.map((row) => row.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
