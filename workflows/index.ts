export { inboundSms } from './inbound-sms';
export { conversation } from './conversation';
export { messageStatus } from './message-status';
export { missedCall } from './missed-call';
export { callAccepted } from './call-accepted';
export { onboarding } from './onboarding';
export { twilioRecovery } from './recovery';
export { eveningDigest } from './evening-digest';
