import type { Config } from './config';
import type { Logger } from './logger';
import { CODEC_PATH } from './routes/codec';
import { wantedWebhooks } from './twilio/number-webhooks';

const RED = '\x1b[31;1m';
const YELLOW = '\x1b[33;1m';
const RESET = '\x1b[0m';
const RULE = '━'.repeat(60);

function redBanner(lines: string[]): void {
  process.stderr.write([`${RED}${RULE}`, ...lines, `${RULE}${RESET}`, ''].join('\n'));
}

/** Start-up banners: alert suppression, payloads in clear and unsigned webhooks are never quiet. */
export function printStartupWarnings(config: Config, logger: Logger): void {
  if (!config.alerts.enabled) {
    redBanner(['🚨 WARNING: ALERTS ARE GLOBALLY DISABLED', '🚨 ALERTS_DISABLED=true is set in environment', '🚨 Operational failures will NOT notify founder', '🚨 This should NEVER be enabled in production']);
    logger.warn({ event: 'alerts.disabled' }, 'ALERTS ARE GLOBALLY DISABLED (ALERTS_DISABLED=true)');
  }
  if (config.payloadEncryption.mode === 'off') {
    redBanner(['🔓 WARNING: PAYLOAD ENCRYPTION IS OFF (PAYLOAD_ENCRYPTION=off)', "🔓 Temporal's histories hold customers' numbers and texts in clear", '🔓 Anyone with Temporal Web UI access can read them']);
    logger.warn({ event: 'payload_encryption.off' }, 'PAYLOAD ENCRYPTION IS OFF: Temporal holds customer data in clear');
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

interface Running {
  apiPort: number;
  consolePassword: string;
  temporal: { address: string } | { webUi: string };
  /** How to write the codec token in a shell command (never the token itself). */
  codecToken: string;
}

/** What `npm start` prints once everything answers: every URL the operator or Twilio needs. */
export function startBanner(config: Config, running: Running): string {
  const local = `http://localhost:${running.apiPort}`;
  const hooks = wantedWebhooks(config.publicBaseUrl, config.fallbackBaseUrl);
  const codec = `${local}${CODEC_PATH}`;
  const encrypted = config.payloadEncryption.mode === 'on';
  return [
    '',
    '  JobRun is running.',
    `  API:              ${local}   (GET /health, GET /metrics)`,
    `  Console:          ${local}/console   (password: ${running.consolePassword})`,
    `  Phone simulator:  ${local}/console/simulator`,
    'webUi' in running.temporal ? `  Temporal Web UI:  ${running.temporal.webUi}` : `  Temporal:         ${running.temporal.address}`,
    ...(encrypted
      ? [
          `  Codec server:     ${codec}   (payloads are encrypted: the Web UI reads them once you are signed in to the console`,
          '                    and "Include cross-origin credentials" is ticked in its Codec Server settings)',
          `  Temporal CLI:     temporal workflow show --codec-endpoint ${codec} --codec-auth "Bearer ${running.codecToken}" -w <workflow id>`,
        ]
      : []),
    '',
    `  Give Twilio, for each number (\`npx jobrun numbers add\` sets them when Twilio credentials are set):`,
    `    A message comes in:   POST ${hooks.smsUrl}${hooks.smsFallbackUrl ? `   (fallback ${hooks.smsFallbackUrl})` : ''}`,
    `    A call comes in:      POST ${hooks.voiceUrl}${hooks.voiceFallbackUrl ? `   (fallback ${hooks.voiceFallbackUrl})` : ''}`,
    `    Call status changes:  POST ${hooks.statusCallback}`,
    `    Message status:       POST ${config.publicBaseUrl}/api/twilio/message-status   (JobRun sets it on every text it sends)`,
    ...(config.publicBaseUrl.startsWith('http://localhost') ? ['    (PUBLIC_BASE_URL is localhost: Twilio cannot reach it; put a tunnel or the public host there)'] : []),
    '',
    '  Ctrl-C stops everything.',
    '',
  ].join('\n') + '\n';
}
