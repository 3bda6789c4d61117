export { inboundSms } from './inbound-sms';
export { conversation } from './conversation';
