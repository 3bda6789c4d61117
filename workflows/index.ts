export { inboundSms } from './inbound-sms';
export { conversation } from './conversation';
export { messageStatus } from './message-status';
