/**
 * Invoice months: `YYYY-MM` in UTC. A month's period runs from its first instant to the first instant of
 * the next month (exclusive), which is also its `period_end`.
 */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

export function monthStart(monthId: string): Date {
  const [year, month] = monthId.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1));
}

export function nextMonth(monthId: string): string {
  const start = monthStart(monthId);
  return monthOf(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)));
}

export function monthPeriod(monthId: string): { period_start: string; period_end: string } {
  return { period_start: monthStart(monthId).toISOString(), period_end: monthStart(nextMonth(monthId)).toISOString() };
}

export function addDays(iso: string, days: number): string {
  return new Date(new Date(iso).getTime() + days * 86_400_000).toISOString();
}
