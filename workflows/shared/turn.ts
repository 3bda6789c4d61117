// What one qualification turn produces, whichever engine ran it. Plain types:
// the zod schema that validates them (src/qualification/turn.ts) is checked
// against these at compile time, and stays out of the workflow bundle.
import type { UrgencyLevel } from './urgency';

export interface JobDetails {
  tradeCategory: string | null;
  description: string | null;
  postcode: string | null;
  address: string | null;
  customerName: string | null;
  preferredTime: string | null;
  accessNotes: string | null;
}

export interface TurnResult {
  reply: string;
  urgency: UrgencyLevel;
  urgencyReason: string;
  job: JobDetails;
  complete: boolean;
}

export interface TranscriptLine {
  direction: 'INBOUND' | 'OUTBOUND';
  body: string;
}

export interface BusinessContext {
  businessName: string;
  trade: string | null;
  serviceArea: string[];
}
