import { createAlertOperator } from './alert-operator';
import type { ActivityDeps } from './deps';
import { createForwardToConversation } from './forward-to-conversation';
import { createMissedCallActivities } from './missed-call';
import { createOnboardingActivities } from './onboarding';
import { createQualify } from './qualify';
import { createRecordAiUsage } from './record-ai-usage';
import { createRecordDelivery } from './record-delivery';
import { createRecordInbound, createSetOptOut } from './record-inbound';
import { createRecoveryActivities } from './recovery';
import { createLoadClient, createResolveNumber } from './resolve-number';
import { createDigestActivities } from './digest';
import { createEscalationActivities } from './escalation';
import { createNumberCheckActivities } from './number-check';
import { createRetentionActivities } from './retention';
import { createJobActivities } from './save-job';
import { createTradespersonActivities } from './tradesperson';
import { createSendWithoutDatabase } from './send-without-database';
import { createSendSms } from './send-sms';

export type { ActivityDeps } from './deps';

/** Every activity, bound to the clients it is given. */
export function createActivities(deps: ActivityDeps) {
  return {
    resolveNumber: createResolveNumber(deps),
    loadClient: createLoadClient(deps),
    recordInbound: createRecordInbound(deps),
    setOptOut: createSetOptOut(deps),
    forwardToConversation: createForwardToConversation(deps),
    sendSms: createSendSms(deps),
    ...createQualify(deps),
    ...createJobActivities(deps),
    ...createTradespersonActivities(deps),
    ...createDigestActivities(deps),
    ...createEscalationActivities(deps),
    ...createNumberCheckActivities(deps),
    ...createRetentionActivities(deps),
    recordDelivery: createRecordDelivery(deps),
    recordAiUsage: createRecordAiUsage(deps),
    alertOperator: createAlertOperator(deps),
    ...createSendWithoutDatabase(deps),
    ...createMissedCallActivities(deps),
    ...createOnboardingActivities(deps),
    ...createRecoveryActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
