// Calendar helpers: the model counts days since its start date; dates are UTC ISO strings.
const MS_PER_DAY = 86_400_000;
export const DAYS_PER_YEAR = 365.25;

export function dayOf(isoDate: string, startIsoDate: string): number {
  return (Date.parse(`${isoDate}T00:00:00Z`) - Date.parse(`${startIsoDate}T00:00:00Z`)) / MS_PER_DAY;
}

export function dateAfter(startIsoDate: string, days: number): string {
  const ms = Date.parse(`${startIsoDate}T00:00:00Z`) + Math.floor(days) * MS_PER_DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

export function yearsOf(days: number): number {
  return days / DAYS_PER_YEAR;
}
