// Starting the missed-call workflow, shared by POST /voice (numbers that
// belong to no one are answered and texted at once) and the call status
// callbacks. The workflow ID is the CallSid: however many of Twilio's
// callbacks arrive for one call, the caller is texted once.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { maskPhone, phoneHash } from '../phone';
import { SA } from '../search-attributes';
import { withTimeout } from '../temporal/client';
import { MISSED_CALL_WORKFLOW, type MissedCallInput } from '../workflow-api';

export type IntakeResult = 'started' | 'duplicate' | 'not-textable';

export interface MissedCallIntakeDeps {
  config: Config;
  temporal: Client;
  metrics: Metrics;
  logger: Logger;
}

/** UK mobiles by default: landlines and premium or foreign numbers get no text (and no SMS-pumping route). */
export function canReceiveText(phone: string, allowedPrefixes: string[]): boolean {
  return /^\+\d{8,15}$/.test(phone) && allowedPrefixes.some((p) => phone.startsWith(p));
}

export async function startMissedCall(deps: MissedCallIntakeDeps, input: MissedCallInput): Promise<IntakeResult> {
  const { config, temporal, metrics } = deps;
  const log = deps.logger.child({ workflowId: input.callSid, from: maskPhone(input.from), to: input.to, callStatus: input.callStatus });
  if (!canReceiveText(input.from, config.textbackAllowedPrefixes)) {
    const reason = /^\+\d{8,15}$/.test(input.from) ? 'not-an-allowed-mobile' : 'no-caller-id';
    metrics.textbackSkipped.inc({ reason });
    log.warn({ event: 'voice.textback_skipped', reason, allowedPrefixes: config.textbackAllowedPrefixes }, 'missed call not texted: the caller cannot receive SMS from us');
    return 'not-textable';
  }
  if (input.number.role === 'SYSTEM') {
    log.warn({ event: 'voice.system_failsafe', reason: input.number.reason }, '⚠️  SYSTEM NUMBER CALL DETECTED - ACTIVATING FAIL-SAFE');
    log.warn(
      { event: 'voice.system_failsafe.action_required' },
      `⚠️  [SYSTEM FAILSAFE] ACTION REQUIRED: ${input.to} belongs to no client. Assign this number to a client in TwilioNumberPool (npx jobrun clients add --number ${input.to} ...)`,
    );
  }
  try {
    await withTimeout(4000, 'starting the missed-call workflow', () =>
      temporal.workflow.start(MISSED_CALL_WORKFLOW, {
        workflowId: input.callSid,
        taskQueue: config.temporal.taskQueue,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        typedSearchAttributes: [
          { key: SA.numberRole, value: input.number.role },
          { key: SA.customerHash, value: phoneHash(input.from) },
          ...(input.number.role === 'CLIENT' ? [{ key: SA.clientId, value: input.number.client.id }] : []),
        ],
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      log.info({ event: 'voice.duplicate' }, 'DUPLICATE CallSid: the caller is already being texted');
      return 'duplicate';
    }
    throw err;
  }
  if (input.number.role === 'SYSTEM') {
    metrics.voiceSystemFailsafeIntake.inc({ isKnown: String(input.number.reason === 'unassigned'), callStatus: input.callStatus });
  }
  log.info({ event: 'voice.missed_call_accepted', role: input.number.role }, 'missed call: text-back started');
  return 'started';
}
