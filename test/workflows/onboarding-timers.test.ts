// SMS onboarding's timers on the time-skipping server, with the real
// activities, the suite's Postgres and Twilio faked at its wire: one reminder
// after 24 h of silence, the sign-up closed after 7 days, and a sign-up that
// found no free number taking one as soon as it is added.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ONBOARDING_SIGNAL, ONBOARDING_WORKFLOW, onboardingWorkflowId, type OnboardingInput, type OnboardingSignal } from '../../src/workflow-api';
import { poolNumber, resetDatabase, sid } from '../support/system';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping';

const HOUR = 3_600_000;
const FOUNDER_PHONE = '+447700900999';

let rig: TimeSkippingRig;
let onboardingNumber: string;
let running: Promise<void>;
before(async () => {
  rig = await startTimeSkippingRig();
  await resetDatabase(rig.db);
  onboardingNumber = poolNumber();
  await rig.db.twilioNumberPool.create({ data: { phoneNumber: onboardingNumber, role: 'ONBOARDING' } });
  // A worker runs once: one run serves every test of the file.
  running = rig.worker.run();
});
after(async () => {
  rig.worker.shutdown();
  await running;
  await rig.stop();
});

/** Real time, polling: for what the worker does after time has been skipped. */
async function until(what: string, probe: () => boolean, ms = 10_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const quiet = () => new Promise((r) => setTimeout(r, 1000));

/** A tradesperson texting the onboarding number, as the intake workflow hands it over. */
function tradesperson(phone: string) {
  const received = () => rig.twilio.to(phone);
  return {
    received,
    handle: () => rig.env.client.workflow.getHandle(onboardingWorkflowId(phone)),
    /** Hands over a text received `ageMs` before now in workflow time. */
    async deliver(body: string, ageMs = 0): Promise<void> {
      const signal: OnboardingSignal = { messageSid: sid(), body, receivedAt: new Date((await rig.env.currentTimeMs()) - ageMs).toISOString() };
      const input: OnboardingInput = { phone, onboardingNumber };
      await rig.env.client.workflow.signalWithStart(ONBOARDING_WORKFLOW, {
        workflowId: onboardingWorkflowId(phone),
        taskQueue: rig.taskQueue,
        args: [input],
        signal: ONBOARDING_SIGNAL,
        signalArgs: [signal],
      });
    },
    async say(body: string): Promise<string> {
      const before = received().length;
      await this.deliver(body);
      await until(`the reply to ${JSON.stringify(body)}`, () => received().length > before);
      assert.equal(received().length, before + 1, 'one reply per text');
      return received()[before]!.body;
    },
  };
}

test('one reminder after 24 h of silence, then the sign-up closes after 7 days', async () => {
  const tp = tradesperson('+447933377001');
  await tp.say('Hi');
  assert.match(await tp.say('Ace Plumbing'), /What's your trade\?/);
  const lastText = await rig.env.currentTimeMs();

  await rig.env.sleep(24 * HOUR - 60_000);
  await quiet();
  assert.equal(tp.received().length, 2, 'no reminder before 24 h of silence');
  await rig.env.sleep(120_000);
  await until('the reminder', () => tp.received().length === 3);
  const reminder = tp.received()[2]!;
  assert.match(reminder.body, /^Just a reminder: you're nearly set up with JobRun\. What's your trade\?/);
  assert.equal(reminder.from, onboardingNumber);

  await rig.env.sleep(3 * 24 * HOUR);
  await quiet();
  assert.equal(tp.received().length, 3, 'exactly one reminder');
  assert.equal((await rig.db.onboardingState.findUnique({ where: { phone: '+447933377001' } }))?.step, 'ASK_TRADE');

  const now = await rig.env.currentTimeMs();
  await rig.env.sleep(lastText + 7 * 24 * HOUR - now - 60_000);
  await quiet();
  assert.equal(tp.received().length, 3, 'still open just before 7 days');
  await rig.env.sleep(120_000);
  await until('the closing text', () => tp.received().length === 4);
  assert.match(tp.received()[3]!.body, /haven't heard back, so we've closed your JobRun sign-up/);
  assert.equal(await tp.handle().result(), 'expired');
  assert.equal((await rig.db.onboardingState.findUnique({ where: { phone: '+447933377001' } }))?.step, 'EXPIRED');
  assert.equal(tp.received().length, 4);
});

test('a reply resets the silence: the reminder comes 24 h after the latest text', async () => {
  const tp = tradesperson('+447933377002');
  await tp.say('Hi');
  await rig.env.sleep(20 * HOUR);
  assert.match(await tp.say('Slow Roofing'), /What's your trade\?/);
  await rig.env.sleep(20 * HOUR);
  await quiet();
  assert.equal(tp.received().length, 2, 'no reminder 40 h after the first text but only 20 h after the latest');
  await rig.env.sleep(5 * HOUR);
  await until('the reminder', () => tp.received().length === 3);
  assert.match(tp.received()[2]!.body, /Just a reminder/);
  assert.match(await tp.say('CANCEL'), /cancelled your JobRun sign-up/);
  assert.equal(await tp.handle().result(), 'cancelled');
});

test('no free number at YES: the sign-up waits, and takes a number within 15 minutes of one being added', async () => {
  const phone = '+447933377003';
  const tp = tradesperson(phone);
  await rig.db.twilioNumberPool.deleteMany({ where: { role: 'FREE' } });
  await tp.say('Hi');
  await tp.say('Late Locks');
  await tp.say('locksmith');
  assert.match(await tp.say('N1, N7'), /Reply YES to confirm/);
  assert.match(await tp.say('YES'), /We're getting a JobRun number ready for you/);
  await until('the operator alert', () => rig.twilio.to(FOUNDER_PHONE).some((m) => m.body.includes('POOL_EXHAUSTED')));
  assert.equal((await rig.db.onboardingState.findUnique({ where: { phone } }))?.step, 'WAITING_FOR_NUMBER');

  // Waiting on us is not their silence: no reminder, no expiry.
  await rig.env.sleep(25 * HOUR);
  await quiet();
  assert.equal(tp.received().length, 5);

  const added = poolNumber();
  await rig.db.twilioNumberPool.create({ data: { phoneNumber: added, role: 'FREE' } });
  await rig.env.sleep(16 * 60_000);
  await until('the number-ready text', () => tp.received().length === 6);
  const ready = tp.received()[5]!.body;
  assert.match(ready, /^Good news: you're all set, Late Locks!/);
  assert.ok(ready.includes(added) && ready.includes('**61*'), ready);
  assert.equal(await tp.handle().result(), 'complete');
  const client = await rig.db.client.findFirstOrThrow({ where: { phoneNumber: phone } });
  assert.equal((await rig.db.twilioNumberPool.findUniqueOrThrow({ where: { phoneNumber: added } })).clientId, client.id);
  assert.equal((await rig.db.onboardingState.findUnique({ where: { phone } }))?.clientId, client.id);
});

test('two answers handed over out of order are taken in the order they were sent', async () => {
  const tp = tradesperson('+447933377004');
  await tp.say('Hi');
  // The trade, sent second, reaches the workflow before the business name, sent 300 ms earlier.
  await tp.deliver('electrician');
  await tp.deliver('Bright Sparks', 300);
  await until('both replies', () => tp.received().length === 3);
  assert.match(tp.received()[1]!.body, /What's your trade\?/);
  assert.doesNotMatch(tp.received()[2]!.body, /What's your trade\?/);
  const state = await rig.db.onboardingState.findUniqueOrThrow({ where: { phone: '+447933377004' } });
  assert.deepEqual([(state.data as { businessName?: string }).businessName, (state.data as { trade?: string }).trade], ['Bright Sparks', 'electrical']);
  assert.match(await tp.say('CANCEL'), /cancelled your JobRun sign-up/);
});
