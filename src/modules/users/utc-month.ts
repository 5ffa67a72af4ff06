/** Start of the calendar month (UTC) that `at` falls in: monthly limits and volumes count from here. */
export function startOfUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}
