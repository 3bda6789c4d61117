import { describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { createOutboxTransport, createSmsTransport, isPermanentSmsError, SmsSendError } from '../../src/twilio/sms-transport';

const err = (status: number | undefined, code: number | undefined) => new SmsSendError('twilio said no', status, code);

describe('isPermanentSmsError', () => {
  test('invalid and unsubscribed numbers are permanent', () => {
    assert.equal(isPermanentSmsError(err(400, 21211)), true);
    assert.equal(isPermanentSmsError(err(400, 21610)), true);
  });

  test('a permanent code is permanent whatever the HTTP status', () => {
    assert.equal(isPermanentSmsError(err(undefined, 21610)), true);
    assert.equal(isPermanentSmsError(err(503, 21211)), true);
  });

  test('a 400 without a code is permanent', () => {
    assert.equal(isPermanentSmsError(err(400, undefined)), true);
  });

  test('server errors and rate limits are retryable', () => {
    assert.equal(isPermanentSmsError(err(500, undefined)), false);
    assert.equal(isPermanentSmsError(err(503, undefined)), false);
    assert.equal(isPermanentSmsError(err(429, undefined)), false);
    assert.equal(isPermanentSmsError(err(429, 20429)), false);
  });

  test('a failure with neither status nor code (a network error) is retryable', () => {
    assert.equal(isPermanentSmsError(err(undefined, undefined)), false);
  });

  test('SmsSendError carries what the retry decision needs', () => {
    const e = err(400, 21211);
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'SmsSendError');
    assert.equal(e.status, 400);
    assert.equal(e.code, 21211);
    assert.equal(e.message, 'twilio said no');
  });
});

describe('createOutboxTransport', () => {
  const sms = { to: '+447700900123', from: '+447700900999', body: 'Thanks, we will be in touch.' };

  test('is simulated', () => {
    assert.equal(createOutboxTransport().simulated, true);
  });

  test('returns distinct SIDs starting with SM, status simulated', async () => {
    const transport = createOutboxTransport();
    const sids = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const sent = await transport.send(sms);
      assert.match(sent.sid, /^SM/);
      assert.equal(sent.status, 'simulated');
      sids.add(sent.sid);
    }
    assert.equal(sids.size, 20);
  });

  test('finds no earlier sends, so a retry always sends again', async () => {
    const transport = createOutboxTransport();
    await transport.send(sms);
    assert.equal(await transport.findSent(sms, new Date(0), new Set()), null);
  });

  test('createSmsTransport without credentials falls back to the outbox', () => {
    const transport = createSmsTransport({ apiBaseUrl: 'https://api.twilio.com', signatureCheck: false });
    assert.equal(transport.simulated, true);
    const half = createSmsTransport({ accountSid: 'AC0123456789abcdef', apiBaseUrl: 'https://api.twilio.com', signatureCheck: false });
    assert.equal(half.simulated, true);
  });

  test('createSmsTransport with credentials is not simulated', () => {
    const transport = createSmsTransport({
      accountSid: 'AC0123456789abcdef0123456789abcdef',
      authToken: 'test-auth-token-1234',
      apiBaseUrl: 'http://127.0.0.1:9',
      signatureCheck: true,
    });
    assert.equal(transport.simulated, false);
  });
});
