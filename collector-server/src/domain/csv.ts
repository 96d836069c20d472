export type CsvValue = string | number | null;

/**
 * One CSV cell. Agent strings (window titles, context, user and machine names, URLs) end up in
 * exports, so a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is prefixed with `'`
 * and a spreadsheet shows it as text instead of running it as a formula.
 */
export function csvCell(v: CsvValue): string {
  const s = v === null ? '' : String(v);
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows as CSV with CRLF line ends (RFC 4180), every cell through `csvCell`. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
