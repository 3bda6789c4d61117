export const URGENCIES = ['EMERGENCY', 'URGENT', 'ROUTINE'] as const;
export type UrgencyLevel = (typeof URGENCIES)[number];

/** Higher is more severe; null (never escalated) is 0. */
export function severity(u: UrgencyLevel | null): number {
  return u ? URGENCIES.length - URGENCIES.indexOf(u) : 0;
}
