import { test } from 'node:test';
import assert from 'node:assert/strict';

import { asksForPerson } from '../../workflows/person-request';

test('a customer asking for a person or a call back', () => {
  for (const body of [
    'Can I speak to a person please',
    "I'd rather talk to someone",
    'can you ring me',
    'Could someone call me back?',
    'call me',
    'is this a real person?',
    'I want to speak to the plumber himself, not a bot',
    'Please phone me asap',
  ]) {
    assert.equal(asksForPerson(body), true, body);
  }
});

test('texts that only mention calling or people are not a request', () => {
  for (const body of [
    'my boiler is making a funny noise',
    'you can call round any time after 3',
    'I called yesterday about the leak',
    'the last person who came fixed it',
    'ring doorbell is broken',
    'call me Dave',
  ]) {
    assert.equal(asksForPerson(body), false, body);
  }
});
