import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import twilio from 'twilio';

import { isValidTwilioSignature } from '../../src/twilio/signature';

const TOKEN = 'test-auth-token-0123456789';
const URL = 'https://jobrun.example.com/twilio/sms?client=c_123';
const PARAMS = { MessageSid: 'SM0123456789abcdef', From: '+447700900123', To: '+447700900999', Body: 'My boiler has stopped' };
const SIGNATURE = twilio.getExpectedTwilioSignature(TOKEN, URL, PARAMS);

describe('isValidTwilioSignature', () => {
  test('accepts the signature Twilio would compute', () => {
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, PARAMS), true);
  });

  test('accepts the same parameters given in another order', () => {
    const reordered = { Body: PARAMS.Body, To: PARAMS.To, From: PARAMS.From, MessageSid: PARAMS.MessageSid };
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, reordered), true);
  });

  test('rejects a signature made with another auth token', () => {
    assert.equal(isValidTwilioSignature(`${TOKEN}x`, SIGNATURE, URL, PARAMS), false);
    const forged = twilio.getExpectedTwilioSignature('attacker-token-0000', URL, PARAMS);
    assert.equal(isValidTwilioSignature(TOKEN, forged, URL, PARAMS), false);
  });

  test('rejects a changed, added or removed parameter', () => {
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Body: 'My boiler has stopped!' }), false);
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, From: '+447700900124' }), false);
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, { ...PARAMS, Extra: '1' }), false);
    const withoutBody: Record<string, string> = { ...PARAMS };
    delete withoutBody.Body;
    assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, URL, withoutBody), false);
  });

  test('rejects a different URL, including a different query string', () => {
    for (const other of [
      'https://jobrun.example.com/twilio/sms?client=c_124',
      'https://jobrun.example.com/twilio/sms',
      'https://jobrun.example.com/twilio/voice?client=c_123',
      'https://evil.example.com/twilio/sms?client=c_123',
      'http://jobrun.example.com/twilio/sms?client=c_123',
    ]) {
      assert.equal(isValidTwilioSignature(TOKEN, SIGNATURE, other, PARAMS), false, other);
    }
  });

  test('rejects a missing or empty signature', () => {
    assert.equal(isValidTwilioSignature(TOKEN, undefined, URL, PARAMS), false);
    assert.equal(isValidTwilioSignature(TOKEN, '', URL, PARAMS), false);
  });

  test('rejects a garbled signature', () => {
    assert.equal(isValidTwilioSignature(TOKEN, `${SIGNATURE.slice(0, -2)}A=`, URL, PARAMS), false);
    assert.equal(isValidTwilioSignature(TOKEN, 'not-a-signature', URL, PARAMS), false);
  });
});
