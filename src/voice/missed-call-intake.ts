// Starting the missed-call text-back, shared by POST /voice (numbers that
// belong to no one are answered and texted at once) and the call status
// callbacks: who can be texted at all, the fail-safe's warnings, metrics.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Config } from '../config';
import { isE164 } from '../identifiers';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import type { OwnNumberCheck } from '../numbers/call-resolver';
import type { Starts } from '../temporal/starts';
import { maskPhone } from '../../workflows/shared/phone-mask';
import type { MissedCallInput } from '../../workflows/shared/types';

type IntakeResult = 'started' | 'duplicate' | 'not-textable';

interface MissedCallIntakeDeps {
  config: Config;
  starts: Starts;
  metrics: Metrics;
  logger: Logger;
  resolveCall: OwnNumberCheck;
}

/**
 * Why a caller cannot be texted back, or null when they can: only mobiles,
 * by phone-number metadata (not +4470 personal numbers, not +4476 pagers;
 * +447624 Isle of Man mobiles are mobiles), and only under one of
 * TEXTBACK_ALLOWED_PREFIXES (UK mobiles by default). No texts to landlines or
 * premium and foreign numbers, which also closes the SMS-pumping route.
 */
function whyNotTextable(phone: string, allowedPrefixes: string[]): string | null {
  if (!isE164(phone)) return 'no-caller-id';
  if (!allowedPrefixes.some((p) => phone.startsWith(p))) return 'not-an-allowed-mobile';
  const type = parsePhoneNumberFromString(phone)?.getType();
  return type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? null : 'not-a-mobile';
}

export async function startMissedCall(deps: MissedCallIntakeDeps, input: MissedCallInput): Promise<IntakeResult> {
  const { config, starts, metrics } = deps;
  const log = deps.logger.child({ workflowId: input.callSid, from: maskPhone(input.from), to: input.to, callStatus: input.callStatus });
  const reason = whyNotTextable(input.from, config.textbackAllowedPrefixes);
  if (reason) {
    metrics.textbackSkipped.inc({ reason });
    log.warn({ event: 'voice.textback_skipped', reason, allowedPrefixes: config.textbackAllowedPrefixes }, 'missed call not texted: the caller cannot receive SMS from us');
    return 'not-textable';
  }
  if (await deps.resolveCall.isJobRunNumber(input.from)) {
    metrics.textbackSkipped.inc({ reason: 'jobrun-number' });
    log.info({ event: 'voice.textback_skipped', reason: 'jobrun-number' }, "a call from one of JobRun's own numbers (an escalation call diverted back): not texted");
    return 'not-textable';
  }
  if (input.number.role === 'SYSTEM') {
    log.warn({ event: 'voice.system_failsafe', reason: input.number.reason }, '⚠️  SYSTEM NUMBER CALL DETECTED - ACTIVATING FAIL-SAFE');
    log.warn(
      { event: 'voice.system_failsafe.action_required' },
      `⚠️  [SYSTEM FAILSAFE] ACTION REQUIRED: ${input.to} belongs to no client. Assign this number to a client in TwilioNumberPool (npx jobrun clients add --number ${input.to} ...)`,
    );
  }
  if ((await starts.missedCall(input)) === 'duplicate') {
    log.info({ event: 'voice.duplicate' }, 'DUPLICATE CallSid: the caller is already being texted');
    return 'duplicate';
  }
  if (input.number.role === 'SYSTEM') {
    metrics.voiceSystemFailsafeIntake.inc({ isKnown: String(input.number.reason === 'unassigned'), callStatus: input.callStatus });
  }
  log.info({ event: 'voice.missed_call_accepted', role: input.number.role }, 'missed call: text-back started');
  return 'started';
}
