import { createAlertOperator } from './alert-operator';
import type { ActivityDeps } from './deps';
import { createForwardToConversation } from './forward-to-conversation';
import { createMissedCallActivities } from './missed-call';
import { createOnboardingActivities } from './onboarding';
import { createQualify } from './qualify';
import { createRecordAiUsage } from './record-ai-usage';
import { createRecordDelivery } from './record-delivery';
import { createRecordInbound, createSetOptOut } from './record-inbound';
import { createResolveNumber } from './resolve-number';
import { createSaveJob } from './save-job';
import { createSendFailsafeSms } from './send-failsafe-sms';
import { createSendSms } from './send-sms';

export type { ActivityDeps } from './deps';

/** Every activity, bound to the clients it is given. */
export function createActivities(deps: ActivityDeps) {
  return {
    resolveNumber: createResolveNumber(deps),
    recordInbound: createRecordInbound(deps),
    setOptOut: createSetOptOut(deps),
    forwardToConversation: createForwardToConversation(deps),
    sendSms: createSendSms(deps),
    ...createQualify(deps),
    saveJob: createSaveJob(deps),
    recordDelivery: createRecordDelivery(deps),
    recordAiUsage: createRecordAiUsage(deps),
    alertOperator: createAlertOperator(deps),
    sendFailsafeSms: createSendFailsafeSms(deps),
    ...createMissedCallActivities(deps),
    ...createOnboardingActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
