// Final, held-out part of the triage evaluation: empty until the next fresh set is written.
import type { QualificationCase } from './cases';

export const FINAL_CASES: QualificationCase[] = [];
