// Numbers as the report prints them: three significant digits, thousands separators, fixed locale
// (so the page does not depend on the machine's).

const threeDigits = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatNumber(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 1000) return whole.format(value);
  return threeDigits.format(value);
}
