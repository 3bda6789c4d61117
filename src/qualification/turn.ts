// The zod schema of a qualification turn: the OpenAI structured-output format
// and the validator of whatever comes back. The types themselves live with
// the workflows (workflows/shared/turn.ts); the checks below keep the two equal.
import { z } from 'zod';
import type { JobDetails as JobDetailsType, TurnResult as TurnResultType } from '../../workflows/shared/turn';
import { URGENCIES } from '../../workflows/shared/urgency';

const JobDetails = z.object({
  tradeCategory: z.string().nullable(),
  description: z.string().nullable(),
  postcode: z.string().nullable(),
  address: z.string().nullable(),
  customerName: z.string().nullable(),
  preferredTime: z.string().nullable(),
  accessNotes: z.string().nullable(),
});

export const TurnResult = z.object({
  reply: z.string().min(1).max(320),
  urgency: z.enum(URGENCIES),
  urgencyReason: z.string(),
  job: JobDetails,
  complete: z.boolean(),
});
export type TurnResult = TurnResultType;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemasMatchTypes: [Same<z.infer<typeof JobDetails>, JobDetailsType>, Same<z.infer<typeof TurnResult>, TurnResultType>] = [true, true];
void schemasMatchTypes;

export const EMPTY_JOB: JobDetailsType = {
  tradeCategory: null,
  description: null,
  postcode: null,
  address: null,
  customerName: null,
  preferredTime: null,
  accessNotes: null,
};
