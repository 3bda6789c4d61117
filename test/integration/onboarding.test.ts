// Tradesperson sign-up by SMS, end to end: texts to the onboarding number
// through the real API and worker, real Postgres and Temporal, Twilio faked
// at its REST wire.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createOnboardingActivities, type CompleteOnboardingInput, type CompleteOnboardingResult, type ForwardToOnboardingResult } from '../../activities/onboarding';
import type { ActivityDeps } from '../../activities/deps';
import { createLogger } from '../../src/logger';
import { onboardingWorkflowId } from '../../workflows/shared/ids';
import { dialFormat } from '../../workflows/onboarding-messages';
import type { StoredMessage } from '../support/fake-twilio';
import { poolNumber, uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, sid } from '../support/system';

const usedPhones: string[] = [];
/** A tradesperson's phone, remembered so that their sign-ups can be ended after the file. */
const tradesPhone = () => {
  const phone = uniqueMobile();
  usedPhones.push(phone);
  return phone;
};

describe('SMS onboarding', () => {
  const system = new TestSystem('onboarding');
  let onboardingNumber: string;

  before(async () => {
    await system.start();
    await resetDatabase(system.db);
    onboardingNumber = poolNumber();
    await system.db.twilioNumberPool.create({ data: { phoneNumber: onboardingNumber, role: 'ONBOARDING' } });
  });
  after(async () => {
    // Leave nothing running on the shared Temporal server.
    await Promise.allSettled(usedPhones.map((p) => system.temporal.workflow.getHandle(onboardingWorkflowId(p)).terminate('test over')));
    await system.stop();
  });

  /** Texts the onboarding number; once JobRun has finished with the text, the one reply it caused. */
  async function say(phone: string, body: string, messageSid = sid()): Promise<StoredMessage> {
    const before = system.twilio.to(phone).length;
    const params = { MessageSid: messageSid, From: phone, To: onboardingNumber, Body: body, AccountSid: 'AC00000000000000000000000000000000' };
    assert.equal((await system.post('/sms', params)).status, 200);
    assert.equal(await system.finished(params), 'onboarding');
    const replies = system.twilio.to(phone).slice(before);
    assert.equal(replies.length, 1, `one reply to ${JSON.stringify(body)}`);
    assert.equal(replies[0]!.from, onboardingNumber, 'onboarding texts come from the onboarding number');
    return replies[0]!;
  }

  const state = (phone: string) => system.db.onboardingState.findUnique({ where: { phone } });

  /** Leaves the pool with exactly the FREE numbers given (new ones), returning them. */
  async function freeNumbers(count: number): Promise<string[]> {
    await system.db.twilioNumberPool.deleteMany({ where: { role: 'FREE' } });
    const numbers = Array.from({ length: count }, () => poolNumber());
    for (const phoneNumber of numbers) await system.db.twilioNumberPool.create({ data: { phoneNumber, role: 'FREE' } });
    return numbers;
  }

  /** Answers the three questions; the last reply is the summary. */
  async function upToConfirm(phone: string, name: string): Promise<void> {
    await say(phone, 'Hi');
    await say(phone, name);
    await say(phone, 'plumber');
    const summary = await say(phone, 'SW1, SE15');
    assert.match(summary.body, /Reply YES to confirm/);
  }

  test('happy path: one question per text, YES, then a client on a pool number and how to divert calls to it', async () => {
    const [free] = await freeNumbers(1);
    const phone = tradesPhone();

    const welcome = await say(phone, 'Hi, I saw your advert');
    assert.match(welcome.body, /Welcome to JobRun/);
    assert.match(welcome.body, /name of your business\?$/);
    assert.equal((await state(phone))?.step, 'ASK_BUSINESS_NAME');

    const askTrade = await say(phone, '  Ace Plumbing & Heating ');
    assert.match(askTrade.body, /^Thanks, Ace Plumbing & Heating! What's your trade\?/);
    const s1 = await state(phone);
    assert.equal(s1?.step, 'ASK_TRADE');
    assert.deepEqual(s1?.data, { businessName: 'Ace Plumbing & Heating' });

    const askArea = await say(phone, 'Plumber');
    assert.match(askArea.body, /postcode districts/);
    assert.equal((await state(phone))?.step, 'ASK_SERVICE_AREA');

    const summary = await say(phone, 'sw1, SE15 and cr0');
    assert.match(summary.body, /Business: Ace Plumbing & Heating\nTrade: plumbing\nAreas: SW1, SE15, CR0/);
    const s2 = await state(phone);
    assert.equal(s2?.step, 'CONFIRM');
    assert.deepEqual(s2?.data, { businessName: 'Ace Plumbing & Heating', trade: 'plumbing', serviceArea: ['SW1', 'SE15', 'CR0'] });

    const yesSid = sid();
    const done = await say(phone, 'Yes!', yesSid);
    assert.ok(done.body.includes(free!), done.body);
    assert.ok(done.body.includes(`**61*${dialFormat(free!)}#`), done.body);
    assert.ok(done.body.includes(`**67*${dialFormat(free!)}#`), done.body);

    const clients = await system.db.client.findMany({ where: { phoneNumber: phone } });
    assert.equal(clients.length, 1);
    const client = clients[0]!;
    assert.equal(client.businessName, 'Ace Plumbing & Heating');
    assert.equal(client.trade, 'plumbing');
    assert.deepEqual(client.serviceArea, ['SW1', 'SE15', 'CR0']);
    const pool = await system.db.twilioNumberPool.findUnique({ where: { phoneNumber: free! } });
    assert.equal(pool?.role, 'ASSIGNED');
    assert.equal(pool?.clientId, client.id);
    const final = await state(phone);
    assert.equal(final?.step, 'COMPLETE');
    assert.equal(final?.clientId, client.id);
    assert.equal((final?.data as { jobrunNumber?: string }).jobrunNumber, free);

    const handle = system.temporal.workflow.getHandle(onboardingWorkflowId(phone));
    assert.equal(await handle.result(), 'complete');
    // Sent through the ledger, keyed by workflow, step and the MessageSid that caused it.
    const ledger = await system.db.outboundMessage.findUnique({ where: { idempotencyKey: `${onboardingWorkflowId(phone)}:complete:${yesSid}` } });
    assert.equal(ledger?.twilioSid, done.sid);

    // Now a client: another text gets their number, not a new sign-up.
    const again = await say(phone, 'Hello?');
    assert.match(again.body, /already set up with JobRun as Ace Plumbing & Heating/);
    assert.ok(again.body.includes(free!));
    assert.equal(await system.db.client.count({ where: { phoneNumber: phone } }), 1);
  });

  test('a service area that is not postcode districts is re-asked politely; the answer is not kept', async () => {
    const phone = tradesPhone();
    await say(phone, 'hello');
    await say(phone, "Bob's Trees");
    await say(phone, 'Tree surgeon');
    const reask = await say(phone, 'all of south London');
    assert.match(reask.body, /^Sorry, I couldn't read that as postcode districts\. Please send .* SW1, SE15, CR0/);
    const partly = await say(phone, 'SE15, Peckham');
    assert.match(partly.body, /^Sorry, I couldn't read "Peckham" as a postcode district\./);
    const s = await state(phone);
    assert.equal(s?.step, 'ASK_SERVICE_AREA');
    assert.equal((s?.data as { serviceArea?: string[] }).serviceArea, undefined);

    const summary = await say(phone, 'SE15 SE22');
    assert.match(summary.body, /Trade: Tree surgeon\nAreas: SE15, SE22/);
    assert.equal((await state(phone))?.step, 'CONFIRM');

    // Anything but YES at the summary: help, then a field can be changed on its own.
    assert.match((await say(phone, 'no')).body, /NAME, TRADE or AREAS/);
    assert.match((await say(phone, 'AREAS')).body, /Which areas do you cover\?/);
    const fixed = await say(phone, 'SE15, SE22, SE5');
    assert.match(fixed.body, /Business: Bob's Trees\nTrade: Tree surgeon\nAreas: SE15, SE22, SE5/);
    await say(phone, 'exit');
  });

  test('EXIT stops the sign-up with a confirmation; a later text starts afresh', async () => {
    const phone = tradesPhone();
    await say(phone, 'Hi');
    await say(phone, 'Quick Locks');
    const bye = await say(phone, 'Exit');
    assert.match(bye.body, /cancelled your JobRun sign-up/);
    const handle = system.temporal.workflow.getHandle(onboardingWorkflowId(phone));
    assert.equal(await handle.result(), 'cancelled');
    assert.equal((await state(phone))?.step, 'CANCELLED');
    assert.equal(system.twilio.to(phone).length, 3, 'nothing after the confirmation');
    assert.equal(await system.db.client.count({ where: { phoneNumber: phone } }), 0);

    const fresh = await say(phone, 'Sorry, I do want to sign up');
    assert.match(fresh.body, /Welcome to JobRun/);
    assert.equal((await state(phone))?.step, 'ASK_BUSINESS_NAME');
    assert.deepEqual((await state(phone))?.data, {});
    await say(phone, 'EXIT');
  });

  test('a phone that is already a client is told its JobRun number and asked nothing', async () => {
    const phone = tradesPhone();
    const existing = await createClientFixture(system.db, { ownerPhone: phone, businessName: 'Existing Electrics' });
    const reply = await say(phone, 'Hi, I want to sign up');
    assert.match(reply.body, /already set up with JobRun as Existing Electrics/);
    assert.ok(reply.body.includes(existing.number));
    assert.ok(!reply.body.includes('?'), 'no question asked');
    assert.equal(await system.started(onboardingWorkflowId(phone)), false);
    assert.equal(await state(phone), null);
  });

  test('no free number: a polite text that we will be in touch, and the operator alerted', async () => {
    await freeNumbers(0);
    const phone = tradesPhone();
    await upToConfirm(phone, 'Waiting Roofing');
    const reply = await say(phone, 'YES');
    assert.match(reply.body, /Thanks, Waiting Roofing! Your details are saved\. We're getting a JobRun number ready for you and we'll text you here/);
    const alert = await eventually('operator alerted', async () => system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('POOL_EXHAUSTED')));
    assert.match(alert.body, /jobrun numbers add/);
    assert.ok(!alert.body.includes(phone), 'the phone is masked in the alert');
    assert.equal((await state(phone))?.step, 'WAITING_FOR_NUMBER');
    assert.equal(await system.db.client.count({ where: { phoneNumber: phone } }), 0);
    assert.equal((await system.temporal.workflow.getHandle(onboardingWorkflowId(phone)).describe()).status.name, 'RUNNING');

    assert.match((await say(phone, 'Any news?')).body, /still getting your JobRun number ready/);
    await say(phone, 'EXIT');
    assert.equal((await state(phone))?.step, 'CANCELLED');
  });

  test('two sign-ups confirming at the same moment for the last free number: exactly one gets it', async () => {
    const [last] = await freeNumbers(1);
    const a = tradesPhone();
    const b = tradesPhone();
    await Promise.all([upToConfirm(a, 'Racer One Drains'), upToConfirm(b, 'Racer Two Drains')]);
    const replies = await Promise.all([say(a, 'YES'), say(b, 'YES')]);

    const winners = replies.filter((r) => r.body.includes(last!));
    const waiting = replies.filter((r) => /We're getting a JobRun number ready/.test(r.body));
    assert.equal(winners.length, 1, JSON.stringify(replies.map((r) => r.body)));
    assert.equal(waiting.length, 1, JSON.stringify(replies.map((r) => r.body)));
    const winnerPhone = winners[0]!.to;
    const clients = await system.db.client.findMany({ where: { phoneNumber: { in: [a, b] } } });
    assert.equal(clients.length, 1);
    assert.equal(clients[0]!.phoneNumber, winnerPhone);
    const pool = await system.db.twilioNumberPool.findUnique({ where: { phoneNumber: last! } });
    assert.equal(pool?.clientId, clients[0]!.id);
    const loser = winnerPhone === a ? b : a;
    assert.equal((await state(loser))?.step, 'WAITING_FOR_NUMBER');
    await say(loser, 'exit');
  });

  test('the allocation is idempotent under retries: a committed attempt that lost its answer makes no second client, and a re-run hand-over of the YES no second answer', async () => {
    const free = await freeNumbers(3);
    const { completeOnboarding, forwardToOnboarding } = createOnboardingActivities({ db: system.db, logger: createLogger('onboarding-test', 'silent') } as unknown as ActivityDeps);
    const env = new MockActivityEnvironment();
    const run = (i: CompleteOnboardingInput) => env.run(completeOnboarding, i) as Promise<CompleteOnboardingResult>;
    const phone = tradesPhone();
    const yes = sid();
    const input = { phone, businessName: 'Retry Heating', trade: 'heating', serviceArea: ['E1'], messageSid: yes };

    const first = await run(input);
    assert.equal(first.outcome, 'assigned');
    // The retry of an attempt whose answer was lost, and two more racing it.
    const retries = await Promise.all([run(input), run(input), run(input)]);
    for (const r of retries) assert.deepEqual(r, { ...first, reused: true });
    assert.equal(await system.db.client.count({ where: { phoneNumber: phone } }), 1);
    assert.equal(await system.db.twilioNumberPool.count({ where: { phoneNumber: { in: free }, role: 'ASSIGNED' } }), 1);

    // The YES's intake run again after the sign-up it completed: no second answer; any other text is told they are a client.
    const handOver = (messageSid: string) =>
      env.run(forwardToOnboarding, { phone, onboardingNumber: '+447700900050', signal: { messageSid, body: 'YES', receivedAt: new Date().toISOString() } }) as Promise<ForwardToOnboardingResult>;
    assert.equal((await handOver(yes)).outcome, 'forwarded');
    assert.deepEqual(await handOver(sid()), { outcome: 'already-client', businessName: 'Retry Heating', jobrunNumber: first.outcome === 'assigned' ? first.jobrunNumber : null });

    // Different phones at once never share a number: three numbers, four sign-ups.
    const others = [tradesPhone(), tradesPhone(), tradesPhone(), tradesPhone()];
    const results = await Promise.all(others.map((p) => run({ ...input, phone: p })));
    const numbers = results.flatMap((r) => (r.outcome === 'assigned' ? [r.jobrunNumber] : []));
    assert.equal(numbers.length, 2, JSON.stringify(results));
    assert.equal(new Set(numbers).size, 2);
    assert.equal(results.filter((r) => r.outcome === 'no-number').length, 2);
  });
});
