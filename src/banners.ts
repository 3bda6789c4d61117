import type { Config } from './config';
import type { Logger } from './logger';

const RED = '\x1b[31;1m';
const YELLOW = '\x1b[33;1m';
const RESET = '\x1b[0m';
const RULE = '━'.repeat(60);

/** Start-up banners: alert suppression and unsigned webhooks are never quiet. */
export function printStartupWarnings(config: Config, logger: Logger): void {
  if (!config.alerts.enabled) {
    process.stderr.write(
      [
        `${RED}${RULE}`,
        '🚨 WARNING: ALERTS ARE GLOBALLY DISABLED',
        '🚨 ALERTS_DISABLED=true is set in environment',
        '🚨 Operational failures will NOT notify founder',
        '🚨 This should NEVER be enabled in production',
        `${RULE}${RESET}`,
        '',
      ].join('\n'),
    );
    logger.warn({ event: 'alerts.disabled' }, 'ALERTS ARE GLOBALLY DISABLED (ALERTS_DISABLED=true)');
  }
  if (!config.twilio.signatureCheck) {
    process.stderr.write(
      `${YELLOW}⚠️  TWILIO_SIGNATURE_CHECK=off: webhooks are NOT authenticated. Local development only.${RESET}\n`,
    );
    logger.warn({ event: 'signature_check.off' }, 'Twilio signature check is off');
  }
  if (!config.searchHashKey) {
    logger.warn({ event: 'search_hash.unkeyed' }, 'SEARCH_HASH_KEY is not set: JobRunCustomerHash in Temporal is a plain SHA-256 of the phone number, which anyone with Temporal access can reverse');
  }
  if (!config.metricsToken) {
    logger.warn({ event: 'metrics.open' }, 'METRICS_TOKEN is not set: /metrics answers anyone who can reach it');
  }
  if (!config.twilio.accountSid) {
    logger.warn({ event: 'sms.outbox' }, 'no Twilio credentials: outbound SMS go to the local outbox (OutboundMessage, status SIMULATED)');
  }
}
