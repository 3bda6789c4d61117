// What one qualification turn produces, whichever engine ran it. The same
// zod schema is the OpenAI structured-output format and the validator of
// whatever comes back.
import { z } from 'zod';

import { URGENCIES } from './urgency';

export { URGENCIES, type UrgencyLevel } from './urgency';

export const JobDetails = z.object({
  tradeCategory: z.string().nullable(),
  description: z.string().nullable(),
  postcode: z.string().nullable(),
  address: z.string().nullable(),
  customerName: z.string().nullable(),
  preferredTime: z.string().nullable(),
  accessNotes: z.string().nullable(),
});
export type JobDetails = z.infer<typeof JobDetails>;

export const TurnResult = z.object({
  reply: z.string().min(1).max(320),
  urgency: z.enum(URGENCIES),
  urgencyReason: z.string(),
  job: JobDetails,
  complete: z.boolean(),
});
export type TurnResult = z.infer<typeof TurnResult>;

export interface TranscriptLine {
  direction: 'INBOUND' | 'OUTBOUND';
  body: string;
}

export interface BusinessContext {
  businessName: string;
  trade: string | null;
  serviceArea: string[];
}

export const EMPTY_JOB: JobDetails = {
  tradeCategory: null,
  description: null,
  postcode: null,
  address: null,
  customerName: null,
  preferredTime: null,
  accessNotes: null,
};
