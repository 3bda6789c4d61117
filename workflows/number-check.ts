// Once a day (a Temporal Schedule, src/temporal/schedules.ts, when there are
// Twilio credentials): every pool number's webhooks at Twilio compared with
// JobRun's, and the operator told of any that drifted (a number edited in
// Twilio's console, one released from the account), before a customer's
// text goes somewhere JobRun never hears of it.
import { isCancellation } from '@temporalio/workflow';
import { twilioChecks } from './activity-options';
import { alertOperator, describeFailure } from './alerts';

export async function numberCheck(): Promise<{ drifted: number }> {
  let drift;
  try {
    drift = await twilioChecks.numberDrift();
  } catch (err) {
    if (isCancellation(err)) throw err;
    await alertOperator('check-failed', {
      kind: 'WORKFLOW_FAILED',
      subject: 'twilio-numbers',
      detail: `The morning check of the pool's numbers could not read Twilio (${describeFailure(err)}); run npx jobrun numbers check once Twilio answers.`,
    });
    throw err;
  }
  if (drift.length > 0) {
    const shown = drift.slice(0, 5).map((d) => `${d.phoneNumber} (${d.problems.map((p) => p.split(':')[0]).join(', ')})`);
    await alertOperator('drift', {
      kind: 'NUMBER_MISCONFIGURED',
      subject: 'twilio-numbers',
      detail: `${drift.length} pool number(s) do not point at JobRun at Twilio: ${shown.join('; ')}${drift.length > 5 ? '; ...' : ''}. See npx jobrun numbers check; npx jobrun numbers add <E164> sets them right.`,
    });
  }
  return { drifted: drift.length };
}
