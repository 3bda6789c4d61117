import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../src/config';
import { loadEnvFile } from '../../src/env-file';

const ROOT = path.join(__dirname, '..', '..');

/** The smallest environment that loads: signature checking needs a token, so it is switched off. */
const LOCAL = { TWILIO_SIGNATURE_CHECK: 'off' } as const;
const TWILIO = { TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef', TWILIO_AUTH_TOKEN: 'test-auth-token-1234' } as const;

function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    return err;
  }
  assert.fail(`loadConfig(${JSON.stringify(env)}) did not throw`);
}

describe('loadConfig defaults', () => {
  test('an environment with only Twilio credentials gets the documented defaults', () => {
    const c = loadConfig({ ...TWILIO });
    assert.equal(c.port, 3001);
    assert.equal(c.publicBaseUrl, 'http://localhost:3001');
    assert.equal(c.temporal.namespace, 'default');
    assert.equal(c.temporal.taskQueue, 'jobrun');
    assert.equal(c.temporal.address, undefined);
    assert.equal(c.twilio.apiBaseUrl, 'https://api.twilio.com');
    assert.equal(c.twilio.signatureCheck, true);
    assert.equal(c.twilio.accountSid, TWILIO.TWILIO_ACCOUNT_SID);
    assert.equal(c.twilio.authToken, TWILIO.TWILIO_AUTH_TOKEN);
    assert.equal(c.alerts.enabled, true);
  });

  test('signature checking is on unless switched off explicitly', () => {
    assert.equal(loadConfig({ ...TWILIO, TWILIO_SIGNATURE_CHECK: 'on' }).twilio.signatureCheck, true);
    assert.equal(loadConfig({ ...TWILIO, TWILIO_SIGNATURE_CHECK: 'off' }).twilio.signatureCheck, false);
    assert.equal(loadConfig({ ...LOCAL }).twilio.signatureCheck, false);
  });

  test('the default public base URL follows PORT', () => {
    const c = loadConfig({ ...LOCAL, PORT: '8080' });
    assert.equal(c.port, 8080);
    assert.equal(c.publicBaseUrl, 'http://localhost:8080');
  });

  test('empty strings count as unset', () => {
    const c = loadConfig({ ...LOCAL, PORT: '', PUBLIC_BASE_URL: '', FOUNDER_PHONE: '', TEMPORAL_NAMESPACE: '', ALERTS_DISABLED: '' });
    assert.equal(c.port, 3001);
    assert.equal(c.publicBaseUrl, 'http://localhost:3001');
    assert.equal(c.founderPhone, undefined);
    assert.equal(c.temporal.namespace, 'default');
    assert.equal(c.alerts.enabled, true);
  });
});

describe('loadConfig values', () => {
  test('trailing slashes are stripped from PUBLIC_BASE_URL', () => {
    assert.equal(loadConfig({ ...LOCAL, PUBLIC_BASE_URL: 'https://jobrun.example.com/' }).publicBaseUrl, 'https://jobrun.example.com');
    assert.equal(loadConfig({ ...LOCAL, PUBLIC_BASE_URL: 'https://jobrun.example.com//' }).publicBaseUrl, 'https://jobrun.example.com');
    assert.equal(loadConfig({ ...LOCAL, PUBLIC_BASE_URL: 'https://jobrun.example.com/base/' }).publicBaseUrl, 'https://jobrun.example.com/base');
  });

  test('trailing slashes are stripped from TWILIO_API_BASE_URL', () => {
    assert.equal(loadConfig({ ...LOCAL, TWILIO_API_BASE_URL: 'http://127.0.0.1:4010/' }).twilio.apiBaseUrl, 'http://127.0.0.1:4010');
  });

  test('a valid FOUNDER_PHONE is kept and routes alerts to it', () => {
    const c = loadConfig({ ...LOCAL, FOUNDER_PHONE: '+447700900123' });
    assert.equal(c.founderPhone, '+447700900123');
    assert.deepEqual(c.alerts, { enabled: true, reason: 'alerts go to FOUNDER_PHONE by SMS' });
  });

  test('ALERTS_DISABLED=true disables alerts with the documented reason', () => {
    assert.deepEqual(loadConfig({ ...LOCAL, ALERTS_DISABLED: 'true' }).alerts, {
      enabled: false,
      reason: 'ALERTS_DISABLED env var set to true',
    });
    // Still disabled when a founder phone is configured.
    assert.equal(loadConfig({ ...LOCAL, ALERTS_DISABLED: 'TRUE', FOUNDER_PHONE: '+447700900123' }).alerts.enabled, false);
  });

  test('ALERTS_DISABLED=false leaves alerts on', () => {
    assert.equal(loadConfig({ ...LOCAL, ALERTS_DISABLED: 'false' }).alerts.enabled, true);
  });
});

describe('durations', () => {
  test('RECOVERY_INTERVAL, RECOVERY_MAX_CALL_AGE and TEXTBACK_COOLDOWN take 45s, 5m, 12h, 2d; defaults 1m, 12h, 12h', () => {
    const d = loadConfig({ ...LOCAL });
    assert.deepEqual([d.recovery.intervalMs, d.recovery.maxCallAgeMs, d.textbackCooldownMs], [60_000, 12 * 3_600_000, 12 * 3_600_000]);
    const c = loadConfig({ ...LOCAL, RECOVERY_INTERVAL: '45s', RECOVERY_MAX_CALL_AGE: '2d', TEXTBACK_COOLDOWN: '5m' });
    assert.deepEqual([c.recovery.intervalMs, c.recovery.maxCallAgeMs, c.textbackCooldownMs], [45_000, 2 * 86_400_000, 300_000]);
  });

  test('a malformed or out-of-range duration is named, with what would do', () => {
    for (const [name, bad] of [['RECOVERY_INTERVAL', '5'], ['RECOVERY_INTERVAL', '10 minutes'], ['RECOVERY_INTERVAL', '0s'], ['RECOVERY_MAX_CALL_AGE', '30s'], ['TEXTBACK_COOLDOWN', '-1h']] as const) {
      const err = configError({ ...LOCAL, [name]: bad });
      assert.match(err.message, new RegExp(`^${name}: must be a duration such as 45s, 5m or 12h`), `${name}=${bad}`);
    }
  });
});

describe('ESCALATION_ACK_EMERGENCY and ESCALATION_ACK_URGENT', () => {
  test('default to 5m and 15m, take durations such as 45s, and refuse anything else by name', () => {
    assert.deepEqual(loadConfig(LOCAL).escalation, { ackEmergencyMs: 300_000, ackUrgentMs: 900_000 });
    assert.deepEqual(loadConfig({ ...LOCAL, ESCALATION_ACK_EMERGENCY: '45s', ESCALATION_ACK_URGENT: '2h' }).escalation, { ackEmergencyMs: 45_000, ackUrgentMs: 7_200_000 });
    for (const [name, bad] of [['ESCALATION_ACK_EMERGENCY', '5'], ['ESCALATION_ACK_URGENT', '0s'], ['ESCALATION_ACK_URGENT', '2d']] as const) {
      assert.match(configError({ ...LOCAL, [name]: bad }).message, new RegExp(`^${name}: must be a duration such as 45s, 5m or 12h`), `${name}=${bad}`);
    }
  });
});

describe('DIGEST_TIME', () => {
  test('defaults to 18:00 and takes any HH:MM; anything else is named', () => {
    assert.deepEqual(loadConfig(LOCAL).digest, { hour: 18, minute: 0 });
    assert.deepEqual(loadConfig({ ...LOCAL, DIGEST_TIME: '07:45' }).digest, { hour: 7, minute: 45 });
    for (const bad of ['6pm', '24:00', '18:60', '1800']) {
      assert.match(configError({ ...LOCAL, DIGEST_TIME: bad }).message, /^DIGEST_TIME: must be a UK time of day such as 18:00/, bad);
    }
  });
});

describe('loadConfig errors', () => {
  test('a malformed FOUNDER_PHONE throws a ConfigError that starts with FOUNDER_PHONE', () => {
    for (const bad of ['07911', '07700900123', '+44 7700 900123', 'not a phone']) {
      const err = configError({ ...LOCAL, FOUNDER_PHONE: bad });
      assert.match(err.message, /^FOUNDER_PHONE/, bad);
      assert.ok(err.message.includes(JSON.stringify(bad)), `message quotes the bad value: ${err.message}`);
    }
  });

  test('a malformed SYSTEM_SMS_NUMBER is named', () => {
    assert.match(configError({ ...LOCAL, SYSTEM_SMS_NUMBER: '07700900123' }).message, /^SYSTEM_SMS_NUMBER/);
  });

  test('an unparsable or non-http PUBLIC_BASE_URL is named', () => {
    for (const bad of ['not a url', 'jobrun.example.com', 'ftp://jobrun.example.com']) {
      assert.match(configError({ ...LOCAL, PUBLIC_BASE_URL: bad }).message, /^PUBLIC_BASE_URL/, bad);
    }
  });

  test('a bad PORT is named', () => {
    for (const bad of ['abc', '70000', '-1', '3.5']) {
      assert.match(configError({ ...LOCAL, PORT: bad }).message, /^PORT/, bad);
    }
  });

  test('signature checking without TWILIO_AUTH_TOKEN throws naming TWILIO_SIGNATURE_CHECK', () => {
    assert.match(configError({}).message, /^TWILIO_SIGNATURE_CHECK/);
    assert.match(configError({ TWILIO_SIGNATURE_CHECK: 'on' }).message, /^TWILIO_SIGNATURE_CHECK/);
  });

  test('TWILIO_SIGNATURE_CHECK accepts only on or off', () => {
    assert.match(configError({ ...TWILIO, TWILIO_SIGNATURE_CHECK: 'yes' }).message, /^TWILIO_SIGNATURE_CHECK/);
  });

  test('an account SID without a token throws naming TWILIO_AUTH_TOKEN', () => {
    const err = configError({ ...LOCAL, TWILIO_ACCOUNT_SID: TWILIO.TWILIO_ACCOUNT_SID });
    assert.match(err.message, /^TWILIO_AUTH_TOKEN/);
  });

  test('a token without an account SID throws naming TWILIO_ACCOUNT_SID', () => {
    const err = configError({ ...LOCAL, TWILIO_AUTH_TOKEN: TWILIO.TWILIO_AUTH_TOKEN });
    assert.match(err.message, /^TWILIO_ACCOUNT_SID/);
  });

  test('ALERTS_DISABLED=maybe throws naming ALERTS_DISABLED', () => {
    assert.match(configError({ ...LOCAL, ALERTS_DISABLED: 'maybe' }).message, /^ALERTS_DISABLED/);
  });

  test('a bad TEMPORAL_ADDRESS is named', () => {
    assert.match(configError({ ...LOCAL, TEMPORAL_ADDRESS: 'http://localhost:7233' }).message, /^TEMPORAL_ADDRESS/);
  });
});

describe('loadConfigOrExit', () => {
  test('a bad FOUNDER_PHONE exits 78 with one stderr line naming it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./src/config').loadConfigOrExit()"], {
      cwd: ROOT,
      // A clean environment, so nothing inherited can be reported first.
      env: { PATH: process.env.PATH, FOUNDER_PHONE: '07911' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.error, undefined);
    assert.equal(r.status, 78, `stderr: ${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
    assert.equal(lines.length, 1, `stderr: ${r.stderr}`);
    assert.match(lines[0]!, /FOUNDER_PHONE/);
    assert.match(lines[0]!, /07911/);
    assert.equal(r.stdout, '');
  });
});

describe('regressions found in review', () => {
  test('a blank PORT counts as unset, not as port 0', () => {
    const config = loadConfig({ ...LOCAL, PORT: ' ' });
    assert.equal(config.port, 3001);
  });
});

describe('connecting to a hosted Temporal', () => {
  test('an API key implies TLS; the dev server default is plain', () => {
    assert.equal(loadConfig({ ...LOCAL }).temporal.tls, false);
    const cloud = loadConfig({ ...LOCAL, TEMPORAL_API_KEY: 'secret', TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233' });
    assert.equal(cloud.temporal.tls, true);
    assert.equal(cloud.temporal.apiKey, 'secret');
  });

  test('a client certificate without its key names the missing variable', () => {
    assert.throws(() => loadConfig({ ...LOCAL, TEMPORAL_TLS_CERT_PATH: '/etc/jobrun/client.pem' }), /^ConfigError: TEMPORAL_TLS_KEY_PATH/);
  });
});

describe('.env and .env.example', () => {
  test('.env.example names every variable the configuration reads, and nothing it does not', () => {
    const listed = new Set([...readFileSync(path.join(ROOT, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
    const composeOnly = new Set(['POSTGRES_PASSWORD']);
    assert.deepEqual(CONFIG_VARIABLES.filter((v) => !listed.has(v)), [], 'missing from .env.example');
    assert.deepEqual([...listed].filter((v) => !CONFIG_VARIABLES.includes(v) && !composeOnly.has(v)), [], 'in .env.example but never read');
  });

  test('a .env file fills what the environment does not set; the environment wins; JOBRUN_ENV_FILE=none reads nothing', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'jobrun-env-')), '.env');
    writeFileSync(file, 'PORT=4001\nLOG_LEVEL=debug\n# a comment\nOPENAI_MODEL="gpt-x"\n');
    const env: NodeJS.ProcessEnv = { JOBRUN_ENV_FILE: file, LOG_LEVEL: 'warn' };
    assert.deepEqual(loadEnvFile(env).sort(), ['OPENAI_MODEL', 'PORT']);
    assert.deepEqual([env.PORT, env.LOG_LEVEL, env.OPENAI_MODEL], ['4001', 'warn', 'gpt-x']);
    const none: NodeJS.ProcessEnv = { JOBRUN_ENV_FILE: 'none' };
    assert.deepEqual(loadEnvFile(none), []);
    assert.throws(() => loadEnvFile({ JOBRUN_ENV_FILE: path.join(tmpdir(), 'no-such-env-file') }), /JOBRUN_ENV_FILE: .* does not exist/);
  });

  test("a bad secret's error names the variable and never prints the value; a URL's password is hidden", () => {
    const token = configError({ ...LOCAL, TWILIO_AUTH_TOKEN: 'short' });
    assert.match(token.message, /^TWILIO_AUTH_TOKEN: .*\(got a value of 5 characters, not shown\)$/);
    assert.doesNotMatch(token.message, /short"/);
    const console = configError({ ...LOCAL, CONSOLE_PASSWORD: 'hunter2' });
    assert.doesNotMatch(console.message, /hunter2/);
    const db = configError({ ...LOCAL, DATABASE_URL: 'mysql://jobrun:s3cret@db/jobrun' });
    assert.match(db.message, /^DATABASE_URL: /);
    assert.doesNotMatch(db.message, /s3cret/);
    assert.match(db.message, /mysql:\/\/jobrun:\*\*\*@db\/jobrun/);
  });
});

