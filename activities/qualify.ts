import { ApplicationFailure } from '@temporalio/activity';
import { AiError } from '../src/qualification/openai';
import { rulesTurn, triage } from '../src/qualification/rules';
import { FailureType } from '../workflows/shared/failures';
import type { BusinessContext, TranscriptLine, TurnResult } from '../workflows/shared/turn';
import { severity } from '../workflows/shared/urgency';
import type { ActivityDeps } from './deps';
import { activityLogger } from './deps';

interface QualifyInput {
  transcript: TranscriptLine[];
  business: BusinessContext;
}

interface QualifyResult {
  result: TurnResult;
  engine: 'openai' | 'rules';
  tokens: number;
}

/**
 * The rules engine's safety triage is a floor under the model's: a gas smell
 * is an emergency with safety advice whatever the model thought of it. Where
 * the classifier under the rules raised it (the rules themselves saw less),
 * it overrides the model only for a safety hazard it read in what is
 * happening now (a denied, past or asked-about hazard never reaches it); for
 * its other raises the rules' own triage is the floor, since the model, which
 * reads the whole conversation, is better placed to make that guess.
 */
export function withSafetyFloor(ai: TurnResult, transcript: TranscriptLine[], business: BusinessContext): TurnResult {
  const inbound = transcript.filter((l) => l.direction === 'INBOUND').map((l) => l.body).join('\n');
  const triaged = triage(inbound);
  const floor = triaged.raisedFrom && !triaged.safetyAdvice ? triaged.raisedFrom : triaged;
  if (severity(floor.urgency) <= severity(ai.urgency)) return ai;
  if (floor.safetyAdvice) return { ...rulesTurn(transcript, business), job: ai.job };
  return { ...ai, urgency: floor.urgency, urgencyReason: floor.reason };
}

export function createQualify({ ai, logger, metrics }: ActivityDeps) {
  return {
    /** One turn through OpenAI when it is configured, else the rules engine. */
    async qualifyTurn(input: QualifyInput): Promise<QualifyResult> {
      if (!ai) {
        metrics.aiTurns.inc({ engine: 'rules', outcome: 'ok' });
        return { result: rulesTurn(input.transcript, input.business), engine: 'rules', tokens: 0 };
      }
      const stopTimer = metrics.aiLatencySeconds.startTimer();
      try {
        const { result, tokens } = await ai.qualify(input.transcript, input.business);
        stopTimer();
        metrics.aiTurns.inc({ engine: 'openai', outcome: 'ok' });
        return { result: withSafetyFloor(result, input.transcript, input.business), engine: 'openai', tokens };
      } catch (err) {
        stopTimer();
        metrics.aiTurns.inc({ engine: 'openai', outcome: 'failed' });
        if (!(err instanceof AiError)) throw err;
        activityLogger(logger).warn({ event: 'ai.failed', kind: err.kind, error: err.message }, 'AI turn failed');
        if (err.permanent) throw ApplicationFailure.nonRetryable(err.message, FailureType.AiPermanent, { kind: err.kind });
        throw ApplicationFailure.retryable(err.message, 'AiTransientError');
      }
    },

    /** The fallback when OpenAI is down or refuses: deterministic, never fails. */
    async qualifyWithRules(input: QualifyInput): Promise<QualifyResult> {
      metrics.aiTurns.inc({ engine: 'rules', outcome: 'fallback' });
      return { result: rulesTurn(input.transcript, input.business), engine: 'rules', tokens: 0 };
    },
  };
}
