// Final, held-out part of the triage evaluation. Empty until the fresh set, written from a brief by
// writers who see neither the rules nor the other parts, is added; scored only with --final.
import type { QualificationCase } from './cases';

export const FINAL_CASES: QualificationCase[] = [];
