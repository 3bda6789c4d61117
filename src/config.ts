// Configuration is parsed and validated once, at start-up. A bad value stops
// the process with one line naming the variable (see ConfigError).
import { z } from 'zod';
import { loadEnvFile } from './env-file';
import { E164 } from './identifiers';
import { parsePayloadKeys, type PayloadKey } from './temporal/payload-encryption';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = (name: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: `${name} must be true or false` });
      return z.NEVER;
    });

const url = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** A duration such as `45s`, `5m` or `12h`, in milliseconds, between `minMs` and `maxMs`. */
const duration = (minMs: number, maxMs: number) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      const m = /^(\d+)(ms|s|m|h|d)$/.exec(v);
      const ms = m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : NaN;
      if (Number.isFinite(ms) && ms >= minMs && ms <= maxMs) return ms;
      ctx.addIssue({ code: 'custom', message: `must be a duration such as 45s, 5m or 12h, from ${minMs / 1000}s to ${maxMs / 3_600_000}h` });
      return z.NEVER;
    });
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

/**
 * The SDK sizes its workflow cache from the heap limit (thousands here), so a
 * busy worker's memory grows with every open conversation. Most conversations
 * sit idle for hours between texts; replaying one from history when it wakes
 * costs a few milliseconds.
 */
const DEFAULT_MAX_CACHED_WORKFLOWS = 250;

const schema = z.object({
  PORT: optional(z.coerce.number().int().min(0).max(65535)),
  PUBLIC_BASE_URL: optional(url),
  FALLBACK_BASE_URL: optional(url),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')),
  DATABASE_STATEMENT_TIMEOUT_MS: optional(z.coerce.number().int().positive()),
  TEMPORAL_ADDRESS: optional(z.string().regex(/^[^\s:/]+:\d+$/, 'must be host:port')),
  TEMPORAL_NAMESPACE: optional(z.string().min(1)),
  TEMPORAL_TASK_QUEUE: optional(z.string().min(1)),
  TEMPORAL_API_KEY: optional(z.string().min(1)),
  TEMPORAL_TLS: bool('TEMPORAL_TLS'),
  TEMPORAL_TLS_CERT_PATH: optional(z.string().min(1)),
  TEMPORAL_TLS_KEY_PATH: optional(z.string().min(1)),
  TWILIO_ACCOUNT_SID: optional(z.string().regex(/^AC[0-9a-zA-Z]{8,}$/, 'must start with AC')),
  TWILIO_AUTH_TOKEN: optional(z.string().min(8)),
  TWILIO_API_BASE_URL: optional(url),
  TWILIO_SIGNATURE_CHECK: optional(z.enum(['on', 'off'], { message: 'must be on or off' })),
  OPENAI_API_KEY: optional(z.string().min(1)),
  OPENAI_BASE_URL: optional(url),
  OPENAI_MODEL: optional(z.string().min(1)),
  OPENAI_TIMEOUT_MS: optional(z.coerce.number().int().positive()),
  FOUNDER_PHONE: optional(E164),
  SYSTEM_SMS_NUMBER: optional(E164),
  TEXTBACK_ALLOWED_PREFIXES: optional(
    z
      .string()
      .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^\+\d{1,6}$/, 'must be comma-separated E.164 prefixes such as +447,+353')).min(1)),
  ),
  ALERTS_DISABLED: bool('ALERTS_DISABLED'),
  ALERT_WEBHOOK_URL: optional(url),
  CONVERSATION_SETTLE_MS: optional(z.coerce.number().int().min(0).max(10_000)),
  TEXTBACK_COOLDOWN: optional(duration(0, 7 * 86_400_000)),
  RECOVERY_INTERVAL: optional(duration(1000, 3_600_000)),
  RECOVERY_MAX_CALL_AGE: optional(duration(60_000, 7 * 86_400_000)),
  ESCALATION_ACK_EMERGENCY: optional(duration(1000, 24 * 3_600_000)),
  ESCALATION_ACK_URGENT: optional(duration(1000, 24 * 3_600_000)),
  CONSOLE_PASSWORD: optional(z.string().min(8, 'must be at least 8 characters')),
  SEARCH_HASH_KEY: optional(z.string().min(32, 'must be at least 32 characters (npm start makes one: openssl rand -base64 32 will do)')),
  METRICS_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  PAYLOAD_ENCRYPTION_KEYS: optional(
    z.string().transform((v, ctx) => {
      try {
        return parsePayloadKeys(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  ),
  PAYLOAD_ENCRYPTION: optional(z.enum(['on', 'off'], { message: 'must be on or off' })),
  CODEC_TOKEN: optional(z.string().min(16, 'must be at least 16 characters')),
  TEMPORAL_UI_URL: optional(url),
  RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)),
  DIGEST_TIME: optional(z.string().trim().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a UK time of day such as 18:00')),
  WORKER_METRICS_PORT: optional(z.coerce.number().int().min(1).max(65535)),
  WORKER_MAX_CACHED_WORKFLOWS: optional(z.coerce.number().int().min(0).max(100_000)),
  TEMPORAL_SDK_METRICS_ADDRESS: optional(z.string().regex(/^[^\s:/]+:\d+$/, 'must be host:port')),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])),
});

/** Every variable the configuration reads (.env.example lists them all; a test holds the two together). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(schema.shape);

/** Values never printed, not even in the error that names them. */
const SECRETS = new Set(['TWILIO_AUTH_TOKEN', 'OPENAI_API_KEY', 'TEMPORAL_API_KEY', 'CONSOLE_PASSWORD', 'METRICS_TOKEN', 'SEARCH_HASH_KEY', 'ALERT_WEBHOOK_URL', 'PAYLOAD_ENCRYPTION_KEYS', 'CODEC_TOKEN']);

/** What an error may say of a bad value: secrets not at all, a URL without its password. */
function shown(name: string, value: string | undefined): string {
  if (value === undefined || value === '') return 'nothing';
  if (SECRETS.has(name)) return `a value of ${value.length} characters, not shown`;
  return JSON.stringify(value.replace(/^([a-z][\w+.-]*:\/\/[^:/@\s]*):[^@/\s]*@/i, '$1:***@'));
}

export interface Config {
  port: number;
  publicBaseUrl: string;
  /** Where Twilio falls back to when PUBLIC_BASE_URL fails (set on numbers by `jobrun numbers add`). */
  fallbackBaseUrl?: string;
  databaseUrl?: string;
  databaseStatementTimeoutMs: number;
  temporal: {
    address?: string;
    namespace: string;
    taskQueue: string;
    /** Temporal Cloud API key (implies TLS). */
    apiKey?: string;
    /** TLS to the frontend; with a client certificate pair for mTLS. */
    tls: boolean;
    clientCert?: { certPath: string; keyPath: string };
  };
  twilio: {
    accountSid?: string;
    authToken?: string;
    apiBaseUrl: string;
    signatureCheck: boolean;
  };
  openai: { apiKey?: string; baseUrl?: string; model: string; timeoutMs: number };
  founderPhone?: string;
  systemSmsNumber?: string;
  /** Callers whose number starts with one of these get a missed-call text (UK mobiles by default). */
  textbackAllowedPrefixes: string[];
  /** One text-back per caller per client within this. */
  textbackCooldownMs: number;
  alerts: { enabled: boolean; reason: string; webhookUrl?: string };
  /** The key of the customer hash in search attributes; without it the hash is a plain, reversible SHA-256. */
  searchHashKey?: string;
  /** /metrics answers only `Authorization: Bearer <this>` when it is set. */
  metricsToken?: string;
  /**
   * What Temporal is given: payloads sealed with these keys (the first seals,
   * all open), or in clear when switched off on purpose. `missing` is neither:
   * the API and the worker refuse to start on it (requirePayloadEncryption).
   */
  payloadEncryption: { mode: 'on'; keys: PayloadKey[] } | { mode: 'off' } | { mode: 'missing' };
  /** The codec server (/codec) also answers `Authorization: Bearer <this>`, for the temporal CLI. */
  codecToken?: string;
  /** A lone worker serves its metrics here; the Temporal SDK's own go to sdkMetricsAddress. */
  workerMetricsPort?: number;
  /** The ordering window for bursts of texts (see workflows/conversation.ts). */
  conversationSettleMs: number;
  /**
   * The sweep over Twilio's log (workflows/recovery.ts): how often it runs,
   * and how old a missed call may be and still be texted back.
   */
  recovery: { intervalMs: number; maxCallAgeMs: number };
  /** How long an escalation may go untaken before JobRun rings the tradesperson (ESCALATION_ACK_*). */
  escalation: { ackEmergencyMs: number; ackUrgentMs: number };
  /** The operator's console (/console): off without a password. Job pages link to the Temporal Web UI. */
  console: { password?: string; temporalUiUrl: string };
  /** Texts and job details older than this are anonymised, daily; the Temporal namespace keeps histories as long. */
  retentionDays: number;
  /** When the evening digest goes out, UK time (DIGEST_TIME). */
  digest: { hour: number; minute: number };
  /** Workflows kept in the worker's memory between tasks; the rest replay from history when woken. */
  workerMaxCachedWorkflows: number;
  sdkMetricsAddress?: string;
  logLevel: string;
}

/** Parses the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    throw new ConfigError(`${name}: ${issue.message} (got ${shown(name, env[name])})`);
  }
  const e = parsed.data;
  const port = e.PORT ?? 3001;
  const accountSid = e.TWILIO_ACCOUNT_SID;
  const authToken = e.TWILIO_AUTH_TOKEN;
  if (Boolean(accountSid) !== Boolean(authToken)) {
    const missing = accountSid ? 'TWILIO_AUTH_TOKEN' : 'TWILIO_ACCOUNT_SID';
    throw new ConfigError(`${missing}: must be set together with ${accountSid ? 'TWILIO_ACCOUNT_SID' : 'TWILIO_AUTH_TOKEN'}`);
  }
  const signatureCheck = (e.TWILIO_SIGNATURE_CHECK ?? 'on') === 'on';
  if (signatureCheck && !authToken) {
    throw new ConfigError(
      'TWILIO_SIGNATURE_CHECK: is on but TWILIO_AUTH_TOKEN is not set; set the token, or TWILIO_SIGNATURE_CHECK=off for local development',
    );
  }
  const alertsDisabled = e.ALERTS_DISABLED ?? false;
  if (e.PAYLOAD_ENCRYPTION === 'off' && e.PAYLOAD_ENCRYPTION_KEYS) {
    throw new ConfigError('PAYLOAD_ENCRYPTION: is off but PAYLOAD_ENCRYPTION_KEYS is set; unset one of them');
  }
  return {
    port,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    fallbackBaseUrl: e.FALLBACK_BASE_URL?.replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    databaseStatementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS ?? 5000,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: e.TEMPORAL_TASK_QUEUE ?? 'jobrun',
      apiKey: e.TEMPORAL_API_KEY,
      tls: e.TEMPORAL_TLS ?? Boolean(e.TEMPORAL_API_KEY || e.TEMPORAL_TLS_CERT_PATH),
      ...(e.TEMPORAL_TLS_CERT_PATH || e.TEMPORAL_TLS_KEY_PATH
        ? { clientCert: { certPath: requirePair(e.TEMPORAL_TLS_CERT_PATH, 'TEMPORAL_TLS_CERT_PATH'), keyPath: requirePair(e.TEMPORAL_TLS_KEY_PATH, 'TEMPORAL_TLS_KEY_PATH') } }
        : {}),
    },
    twilio: {
      accountSid,
      authToken,
      apiBaseUrl: (e.TWILIO_API_BASE_URL ?? 'https://api.twilio.com').replace(/\/+$/, ''),
      signatureCheck,
    },
    openai: {
      apiKey: e.OPENAI_API_KEY,
      baseUrl: e.OPENAI_BASE_URL,
      model: e.OPENAI_MODEL ?? 'gpt-4o-mini',
      timeoutMs: e.OPENAI_TIMEOUT_MS ?? 20_000,
    },
    founderPhone: e.FOUNDER_PHONE,
    systemSmsNumber: e.SYSTEM_SMS_NUMBER,
    textbackAllowedPrefixes: e.TEXTBACK_ALLOWED_PREFIXES ?? ['+447'],
    textbackCooldownMs: e.TEXTBACK_COOLDOWN ?? 12 * 3_600_000,
    alerts: {
      ...(alertsDisabled
        ? { enabled: false, reason: 'ALERTS_DISABLED env var set to true' }
        : e.FOUNDER_PHONE
          ? { enabled: true, reason: 'alerts go to FOUNDER_PHONE by SMS' }
          : { enabled: true, reason: 'FOUNDER_PHONE is not set: alerts are logged at error level only' }),
      ...(e.ALERT_WEBHOOK_URL ? { webhookUrl: e.ALERT_WEBHOOK_URL } : {}),
    },
    metricsToken: e.METRICS_TOKEN,
    payloadEncryption: e.PAYLOAD_ENCRYPTION_KEYS ? { mode: 'on', keys: e.PAYLOAD_ENCRYPTION_KEYS } : e.PAYLOAD_ENCRYPTION === 'off' ? { mode: 'off' } : { mode: 'missing' },
    codecToken: e.CODEC_TOKEN,
    searchHashKey: e.SEARCH_HASH_KEY,
    workerMetricsPort: e.WORKER_METRICS_PORT,
    conversationSettleMs: e.CONVERSATION_SETTLE_MS ?? 1000,
    recovery: { intervalMs: e.RECOVERY_INTERVAL ?? 60_000, maxCallAgeMs: e.RECOVERY_MAX_CALL_AGE ?? 12 * 3_600_000 },
    console: { password: e.CONSOLE_PASSWORD, temporalUiUrl: (e.TEMPORAL_UI_URL ?? 'http://localhost:8233').replace(/\/+$/, '') },
    retentionDays: e.RETENTION_DAYS ?? 90,
    escalation: { ackEmergencyMs: e.ESCALATION_ACK_EMERGENCY ?? 5 * 60_000, ackUrgentMs: e.ESCALATION_ACK_URGENT ?? 15 * 60_000 },
    digest: digestTime(e.DIGEST_TIME ?? '18:00'),
    workerMaxCachedWorkflows: e.WORKER_MAX_CACHED_WORKFLOWS ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    sdkMetricsAddress: e.TEMPORAL_SDK_METRICS_ADDRESS,
    logLevel: e.LOG_LEVEL ?? 'info',
  };
}

function requirePair(value: string | undefined, name: string): string {
  if (!value) throw new ConfigError(`${name}: must be set together with ${name === 'TEMPORAL_TLS_CERT_PATH' ? 'TEMPORAL_TLS_KEY_PATH' : 'TEMPORAL_TLS_CERT_PATH'}`);
  return value;
}

/** Loads the config or ends the process with one clear line. */
function orExit<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`jobrun: bad configuration: ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}

/** The `.env` file into the environment (src/env-file.ts); one line and exit status 78 if it cannot be read. */
export function loadEnvFileOrExit(env: NodeJS.ProcessEnv = process.env): void {
  orExit(() => loadEnvFile(env));
}

/** The `.env` file, then the configuration: what every process starts with. */
export function loadConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  return orExit(() => {
    loadEnvFile(env);
    return loadConfig(env);
  });
}

export function requireDatabaseUrl(config: Config): string {
  if (!config.databaseUrl) {
    throw new ConfigError('DATABASE_URL: is required by this process (npm start brings up a local Postgres)');
  }
  return config.databaseUrl;
}

export function requireTemporalAddress(config: Config): string {
  if (!config.temporal.address) {
    throw new ConfigError('TEMPORAL_ADDRESS: is required by this process (npm start brings up a dev server)');
  }
  return config.temporal.address;
}

/** The API and the worker hand Temporal nothing in clear unless told to on purpose. */
export function requirePayloadEncryption(config: Config): void {
  if (config.payloadEncryption.mode === 'missing') {
    throw new ConfigError(
      'PAYLOAD_ENCRYPTION_KEYS: is required by this process, so that Temporal holds no customer data in clear; make one with `npx jobrun keys new` (or set PAYLOAD_ENCRYPTION=off to run without, which /health reports)',
    );
  }
}

function digestTime(hhmm: string): { hour: number; minute: number } {
  const [hour, minute] = hhmm.split(':').map(Number);
  return { hour: hour!, minute: minute! };
}
