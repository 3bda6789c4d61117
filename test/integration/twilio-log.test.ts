// Reading Twilio's log through the real twilio SDK, against the fake at the
// wire: account-wide, filtered by date as Twilio filters (by the day), paged,
// and narrowed here to the instant; calls classified by the legs they dialled.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTwilioLog } from '../../src/twilio/account-log';
import { createTwilioClient } from '../../src/twilio/client';
import { FakeTwilio } from '../support/fake-twilio';

const ACCOUNT = { accountSid: 'AC00000000000000000000000000000000', authToken: 'test-auth-token-0123456789', signatureCheck: true };
const NUMBER = '+447700900001';
const MINUTE = 60_000;

describe("Twilio's log", () => {
  const twilio = new FakeTwilio();
  before(() => twilio.start());
  after(() => twilio.stop());
  const log = (pageSize = 2) => createTwilioLog(createTwilioClient({ ...ACCOUNT, apiBaseUrl: twilio.url }), { pageSize });

  test('inbound texts since an instant, oldest first, across pages; JobRun\'s own texts and older ones left out', async () => {
    const now = Date.now();
    twilio.receiveText({ from: '+447911000001', to: NUMBER, body: 'too old', at: new Date(now - 10 * MINUTE) });
    const wanted = [4, 3, 2, 1].map((m) => twilio.receiveText({ from: `+44791100001${m}`, to: NUMBER, body: `text ${m} min ago`, at: new Date(now - m * MINUTE) }));
    twilio.messages.push({ sid: 'SMours00000000000000000000000000', from: NUMBER, to: '+447911000011', body: 'our reply', dateCreated: new Date(now - 2 * MINUTE) });
    const before = twilio.listRequests;
    const read = await log().inboundTexts(new Date(now - 5 * MINUTE));
    assert.deepEqual(read.items.map((t) => t.sid), wanted.map((t) => t.sid));
    assert.deepEqual(read.items[0], { sid: wanted[0]!.sid, from: '+447911000014', to: NUMBER, body: 'text 4 min ago', receivedAt: new Date(Math.floor((now - 4 * MINUTE) / 1000) * 1000) });
    assert.equal(read.requests, twilio.listRequests - before);
    assert.ok(read.requests >= 3, `paged (${read.requests} requests for 6 messages, 2 a page)`);
    assert.ok(read.until.getTime() >= now);
  });

  test('calls: answered only when a dialled leg was picked up; a call still going on holds the read back to its start', async () => {
    const now = Date.now();
    const noAnswer = twilio.receiveCall({ from: '+447911000021', to: NUMBER, status: 'completed', duration: 25, at: new Date(now - 4 * MINUTE), dialled: { to: '+447700900100', status: 'no-answer', duration: 0 } });
    const picked = twilio.receiveCall({ from: '+447911000022', to: NUMBER, status: 'completed', duration: 80, at: new Date(now - 3 * MINUTE), dialled: { to: '+447700900100', status: 'completed', duration: 62 } });
    const neverDialled = twilio.receiveCall({ from: '+447911000023', to: NUMBER, status: 'completed', duration: 4, at: new Date(now - 2 * MINUTE) });
    const going = twilio.receiveCall({ from: '+447911000024', to: NUMBER, status: 'in-progress', at: new Date(now - 90_000) });
    const read = await log(3).inboundCalls(new Date(now - 5 * MINUTE));
    assert.deepEqual(
      read.items.map((c) => [c.sid, c.dialledLegAnswered]),
      [
        [noAnswer.sid, false],
        [picked.sid, true],
        [neverDialled.sid, false],
      ],
    );
    assert.equal(read.until.getTime(), Math.floor(going.startTime.getTime() / 1000) * 1000, 'read again from the call still going on');
    assert.ok(!read.items.some((c) => c.sid === going.sid));
  });

  test('a refused token is an error, not an empty log', async () => {
    twilio.listFault = { status: 401, code: 20003 };
    try {
      await assert.rejects(log().inboundTexts(new Date(Date.now() - MINUTE)), (err: { status?: number }) => err.status === 401);
    } finally {
      twilio.listFault = null;
    }
  });
});
