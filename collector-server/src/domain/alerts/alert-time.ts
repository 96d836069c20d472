// One formatter per time zone: building an Intl.DateTimeFormat is costly, and a tick may format
// thousands of times. The cache holds as many entries as there are schools' time zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** A time as staff read it in the school's zone: "23 Nov 2026, 09:59". */
export function formatWhen(iso: string, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone });
    formatters.set(timeZone, format);
  }
  return format.format(new Date(iso));
}
