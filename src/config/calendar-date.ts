// ISO calendar dates (YYYY-MM-DD) as every input accepts them: a date that exists in the calendar.
// Date.parse alone is not enough: it takes 2026-02-31 and 2027-02-29 and rolls them into March.

/** True for an ISO date YYYY-MM-DD that exists in the (proleptic Gregorian, UTC) calendar. */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const t = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === date;
}
