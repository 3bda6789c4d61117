import { test } from 'node:test';
import assert from 'node:assert/strict';

import { parseTradespersonCommand } from '../../workflows/tradesperson-commands';

test('the commands, however they are typed', () => {
  const cases: Array<[string, ReturnType<typeof parseTradespersonCommand>]> = [
    ['HELP', { kind: 'help' }],
    [' help. ', { kind: 'help' }],
    ['Pause', { kind: 'pause' }],
    ['resume!', { kind: 'resume' }],
    ['1', { kind: 'take', job: { latest: true } }],
    ['J12', { kind: 'take', job: { number: 12 } }],
    ['j 12', { kind: 'take', job: { number: 12 } }],
    ['J12 done', { kind: 'done', job: { number: 12 } }],
    ['J12 BOT', { kind: 'bot', job: { number: 12 } }],
    ['J12 On my way, 20 mins. Turn the gas off at the meter', { kind: 'relay', job: { number: 12 }, text: 'On my way, 20 mins. Turn the gas off at the meter' }],
    ['J12: done', { kind: 'done', job: { number: 12 } }],
  ];
  for (const [body, command] of cases) assert.deepEqual(parseTradespersonCommand(body), command, body);
});

test('anything else is unknown, including references run into words', () => {
  for (const body of ['hello', 'J', 'Jack here', 'J12X', '12', 'is this working?', '']) {
    assert.deepEqual(parseTradespersonCommand(body), { kind: 'unknown' }, body);
  }
});
