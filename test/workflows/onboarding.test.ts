// SMS onboarding with its activities stubbed, on the time-skipping server:
// every step of the state machine, the summary's choices, EXIT and opt-outs,
// waiting for a number (retries, daily re-alerts, the 30-day give-up),
// reminders and expiry, texts that arrive late, failures, and runs carried
// over from earlier ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { onboarding } from '../../workflows';
import { onboardingProgressQuery } from '../../workflows/onboarding';
import * as text from '../../workflows/onboarding-messages';
import { FailureType } from '../../workflows/shared/failures';
import { onboardingWorkflowId } from '../../workflows/shared/ids';
import type { OnboardingCarried, OnboardingSignal } from '../../workflows/shared/types';
import type { Starts } from '../../src/temporal/starts';
import { eventually } from '../support/poll';
import { StubbedActivities } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ONBOARDING_NUMBER = '+447700900002';
const NEW_NUMBER = '+447700900500';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

let phones = 0;
let sids = 0;
const nextSid = () => `SMsignup${String(++sids).padStart(26, '0')}`;

/** A tradesperson texting the onboarding number, handed over as the intake workflow does. */
function tradesperson(stubs: StubbedActivities, starts: Starts) {
  phones += 1;
  const phone = `+4479330000${String(phones).padStart(2, '0')}`;
  const handle = (): WorkflowHandle<typeof onboarding> => rig.env.client.workflow.getHandle(onboardingWorkflowId(phone));
  const received = () => stubs.textsTo(phone).map((t) => t.body);
  return {
    phone,
    handle,
    received,
    /** Hands over a text received `ageMs` before now (workflow time); returns its SID. */
    async deliver(body: string, ageMs = 0): Promise<string> {
      const signal: OnboardingSignal = { messageSid: nextSid(), body, receivedAt: new Date((await rig.env.currentTimeMs()) - ageMs).toISOString() };
      await starts.toOnboarding({ phone, onboardingNumber: ONBOARDING_NUMBER }, signal);
      return signal.messageSid;
    },
    /** Until the sign-up has finished with this text (or ended); the texts it sent in answer. */
    async say(body: string): Promise<string[]> {
      const before = received().length;
      const sid = await this.deliver(body);
      await eventually(`the sign-up to take ${JSON.stringify(body)}`, async () => {
        if ((await handle().describe()).status.name !== 'RUNNING') return true;
        const p = await handle().query(onboardingProgressQuery);
        return p.seenSids.includes(sid) && p.handling === null && p.pending.length === 0;
      });
      return received().slice(before);
    },
    step: async () => (await handle().query(onboardingProgressQuery)).step,
  };
}

type Tradesperson = ReturnType<typeof tradesperson>;

async function upToConfirm(tp: Tradesperson, name = 'Bright Sparks'): Promise<void> {
  await tp.say('Hi');
  await tp.say(name);
  await tp.say('sparky');
  await tp.say('SW1, SE15 and CR0');
}

describe('the questions', () => {
  test('name, trade and areas, a summary, YES: the number and how to divert to it', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      assert.deepEqual(await tp.say('Hi, I saw your ad'), [text.WELCOME]);
      assert.deepEqual(await tp.say('Bright Sparks'), [text.askTrade('Bright Sparks')]);
      assert.deepEqual(await tp.say('sparky'), [text.ASK_SERVICE_AREA]);
      assert.deepEqual(await tp.say('SW1, SE15 and CR0'), [text.summary({ businessName: 'Bright Sparks', trade: 'electrical', serviceArea: ['SW1', 'SE15', 'CR0'] })]);
      const yes = await tp.deliver('Yes please');
      assert.equal(await tp.handle().result(), 'complete');
      assert.deepEqual(tp.received().at(-1), text.complete('Bright Sparks', NEW_NUMBER));
      assert.deepEqual(stubs.of('completeOnboarding'), [{ phone: tp.phone, businessName: 'Bright Sparks', trade: 'electrical', serviceArea: ['SW1', 'SE15', 'CR0'], messageSid: yes }]);
      assert.deepEqual(stubs.of('saveOnboardingState').map((s) => s.step), ['ASK_BUSINESS_NAME', 'ASK_TRADE', 'ASK_SERVICE_AREA', 'CONFIRM']);
      const texts = stubs.textsTo(tp.phone);
      assert.ok(texts.every((t) => t.from === ONBOARDING_NUMBER && t.idempotencyKey.startsWith(`${onboardingWorkflowId(tp.phone)}:`)));
      assert.equal(texts.at(-1)!.idempotencyKey, `${onboardingWorkflowId(tp.phone)}:complete:${yes}`);
    });
  });

  test('answers it cannot read are asked for again, and the step stays where it was', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      assert.deepEqual(await tp.say('!!'), [text.BAD_BUSINESS_NAME]);
      assert.equal(await tp.step(), 'ASK_BUSINESS_NAME');
      await tp.say('Tree Tops Ltd');
      assert.deepEqual(await tp.say('?'), [text.BAD_TRADE]);
      assert.equal(await tp.step(), 'ASK_TRADE');
      await tp.say('Tree surgeon');
      assert.deepEqual(await tp.say('SE15, Peckham'), [text.badServiceArea({ ok: false, reason: 'invalid', invalid: ['Peckham'], districts: ['SE15'] })]);
      assert.equal(await tp.step(), 'ASK_SERVICE_AREA');
      assert.match((await tp.say('SE15 SE22'))[0]!, /Trade: Tree surgeon\nAreas: SE15, SE22/);
    });
  });

  test('at the summary: help for anything unclear, NAME, TRADE or AREAS to change one answer, RESTART to begin again', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await upToConfirm(tp);
      assert.deepEqual(await tp.say('no'), [text.CONFIRM_HELP]);
      assert.deepEqual(await tp.say('AREAS'), [text.ASK_SERVICE_AREA]);
      assert.match((await tp.say('N1'))[0]!, /Business: Bright Sparks\nTrade: electrical\nAreas: N1\n/);
      assert.deepEqual(await tp.say('trade'), [text.askTrade()]);
      assert.match((await tp.say('locksmith'))[0]!, /Trade: locksmith\nAreas: N1/);
      assert.deepEqual(await tp.say('1'), [text.ASK_BUSINESS_NAME]);
      assert.match((await tp.say('Lock Stars'))[0]!, /Business: Lock Stars\n/);
      assert.deepEqual(await tp.say('RESTART'), [text.RESTARTED]);
      const progress = await tp.handle().query(onboardingProgressQuery);
      assert.deepEqual([progress.step, progress.data], ['ASK_BUSINESS_NAME', {}]);
    });
  });

  test('EXIT at any step ends the sign-up with a confirmation', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      await tp.say('Quick Locks');
      await tp.deliver('exit.');
      assert.equal(await tp.handle().result(), 'cancelled');
      assert.equal(tp.received().at(-1), text.CANCELLED);
      assert.equal(stubs.of('saveOnboardingState').at(-1)!.step, 'CANCELLED');
    });
  });

  test('STOP, CANCEL, END, QUIT and Twilio\'s other opt-out words end it without a word from us (Twilio confirms them and blocks our texts)', async () => {
    for (const word of ['Stop', 'CANCEL', 'end', 'Quit.', 'UNSUBSCRIBE', 'STOPALL', 'OPTOUT', 'REVOKE']) {
      const stubs = new StubbedActivities();
      await rig.withStubs(stubs, async ({ starts }) => {
        const tp = tradesperson(stubs, starts);
        await tp.say('Hi');
        await tp.deliver(word);
        assert.equal(await tp.handle().result(), 'cancelled', word);
        assert.deepEqual(tp.received(), [text.WELCOME], word);
        assert.equal(stubs.of('saveOnboardingState').at(-1)!.step, 'CANCELLED');
      });
    }
  });

  test('YES from a phone that became a client meanwhile: told its JobRun number, nothing created', async () => {
    const stubs = new StubbedActivities({
      completeOnboarding: async () => ({ outcome: 'already-client', clientId: 'client-9', businessName: 'Existing Electrics', jobrunNumber: '+447700900777' }),
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await upToConfirm(tp);
      await tp.deliver('YES');
      assert.equal(await tp.handle().result(), 'already-client');
      assert.equal(tp.received().at(-1), text.alreadyClient('Existing Electrics', '+447700900777'));
    });
  });
});

describe('waiting for a number', () => {
  test('no free number at YES: told so, the operator alerted and reminded daily, retried every 15 minutes; no reminder or expiry meanwhile', async () => {
    let numberAdded = false;
    const stubs = new StubbedActivities({
      completeOnboarding: async () => (numberAdded ? { outcome: 'assigned', clientId: 'client-3', jobrunNumber: NEW_NUMBER, reused: false } : { outcome: 'no-number' }),
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await upToConfirm(tp, 'Late Locks');
      assert.deepEqual(await tp.say('YES'), [text.noNumberYet('Late Locks')]);
      const [alert] = stubs.alerts('POOL_EXHAUSTED');
      assert.match(alert!.detail, /jobrun numbers add/);
      assert.ok(!alert!.detail.includes(tp.phone), 'the phone is masked in the alert');
      assert.equal(await tp.step(), 'WAITING_FOR_NUMBER');
      assert.deepEqual(await tp.say('Any news?'), [text.STILL_WAITING]);

      await rig.env.sleep(25 * HOUR);
      const tries = stubs.of('completeOnboarding').length;
      assert.ok(tries >= 99 && tries <= 102, `about four tries an hour for 25 h (${tries})`);
      assert.equal(stubs.alerts('POOL_EXHAUSTED').length, 2, 'the operator is reminded after a day');
      assert.equal(tp.received().length, 6, 'waiting on us is not their silence: no reminder, no expiry');

      numberAdded = true;
      await rig.env.sleep(16 * 60_000);
      assert.equal(await tp.handle().result(), 'complete');
      assert.equal(tp.received().at(-1), text.numberReady('Late Locks', NEW_NUMBER));
    });
  });

  test('still no number after 30 days: told our team will be in touch, the operator alerted, the sign-up closed', async () => {
    const stubs = new StubbedActivities({ completeOnboarding: async () => ({ outcome: 'no-number' }) });
    await rig.withStubs(stubs, async ({ client, taskQueue }) => {
      const phone = '+447933300901';
      const now = await rig.env.currentTimeMs();
      const carried: OnboardingCarried = {
        step: 'WAITING_FOR_NUMBER',
        data: { businessName: 'Patient Plumbing', trade: 'plumbing', serviceArea: ['N1'] },
        pending: [],
        seenSids: ['SMyes000000000000000000000000000'],
        lastInboundAt: now - 30 * DAY + 20 * 60_000,
        lastSid: 'SMyes000000000000000000000000000',
        reminded: false,
        waitingSince: now - 30 * DAY + 20 * 60_000,
        lastTryAt: now,
        lastAlertAt: now,
      };
      const handle = await client.workflow.start(onboarding, { workflowId: onboardingWorkflowId(phone), taskQueue, args: [{ phone, onboardingNumber: ONBOARDING_NUMBER, settleMs: 0, carried }] });
      assert.equal(await handle.result(), 'no-number');
      assert.deepEqual(stubs.textsTo(phone).map((t) => t.body), [text.WAITING_GAVE_UP]);
      const [alert] = stubs.alerts('POOL_EXHAUSTED');
      assert.match(alert!.detail, /waited 30 days for a JobRun number; their sign-up was closed/);
      assert.equal(stubs.of('saveOnboardingState').at(-1)!.step, 'EXPIRED');
    });
  });
});

describe('silence', () => {
  test('one reminder after 24 h of silence, repeating the question; closed after 7 days', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      await tp.say('Ace Plumbing');
      const lastText = await rig.env.currentTimeMs();
      assert.equal(await tp.handle().result(), 'expired');
      const texts = stubs.callsOf('sendSms').filter((c) => c.input.to === tp.phone).slice(2);
      assert.deepEqual(texts.map((t) => [t.input.purpose, t.input.body]), [
        ['nudge', text.reminder('ASK_TRADE', { businessName: 'Ace Plumbing' })],
        ['nudge', text.EXPIRED],
      ]);
      assert.ok(Math.abs(texts[0]!.at - lastText - DAY) < 60_000, 'reminded a day after the last text');
      assert.ok(Math.abs(texts[1]!.at - lastText - 7 * DAY) < 60_000, 'closed a week after it');
      assert.equal(stubs.of('saveOnboardingState').at(-1)!.step, 'EXPIRED');
    });
  });

  test('a reply resets the silence: the reminder comes 24 h after the latest text', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      await rig.env.sleep(20 * HOUR);
      await tp.say('Slow Roofing');
      await rig.env.sleep(20 * HOUR);
      assert.equal((await tp.handle().query(onboardingProgressQuery)).reminded, false, 'not 40 h after the first text but 20 h after the latest');
      await rig.env.sleep(5 * HOUR);
      await eventually('the reminder', async () => (await tp.handle().query(onboardingProgressQuery)).reminded);
      assert.match(tp.received().at(-1)!, /^Just a reminder/);
    });
  });
});

describe('texts that cross', () => {
  test('texts that arrive while the number is being set up are told the sign-up is complete', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const completing = new Promise<void>((r) => (entered = r));
    const stubs = new StubbedActivities({
      completeOnboarding: async () => {
        entered();
        await released;
        return { outcome: 'assigned', clientId: 'client-4', jobrunNumber: NEW_NUMBER, reused: false };
      },
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await upToConfirm(tp);
      await tp.deliver('YES');
      await completing;
      const late = await tp.deliver('also do you cover N1?');
      release();
      assert.equal(await tp.handle().result(), 'complete');
      const last = stubs.textsTo(tp.phone).slice(-2);
      assert.deepEqual(last.map((t) => t.body), [text.complete('Bright Sparks', NEW_NUMBER), text.alreadyClient('Bright Sparks', NEW_NUMBER)]);
      assert.equal(last[1]!.idempotencyKey, `${onboardingWorkflowId(tp.phone)}:already-client:${late}`);
    });
  });

  test('an EXIT with another text already waiting ends that sign-up and starts a fresh one in the same run', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const cancelling = new Promise<void>((r) => (entered = r));
    const stubs = new StubbedActivities({
      sendSms: async (input) => {
        if (input.body === text.CANCELLED) {
          entered();
          await released;
        }
        return { sid: 'SMsent', status: 'SENT', reconciled: false };
      },
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      await tp.say('Wrong Name Ltd');
      await tp.deliver('EXIT');
      await cancelling;
      const fresh = await tp.deliver('Sorry, I do want to sign up');
      release();
      await eventually('the fresh welcome', () => tp.received().at(-1) === text.WELCOME && tp.received().length === 4);
      const progress = await tp.handle().query(onboardingProgressQuery);
      assert.deepEqual([progress.step, progress.data, progress.lastSid], ['ASK_BUSINESS_NAME', {}, fresh]);
    });
  });

  test('two answers handed over out of order within the ordering window are taken in the order they were sent', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(
      stubs,
      async ({ starts }) => {
        const tp = tradesperson(stubs, starts);
        await tp.say('Hi');
        await tp.deliver('electrician');
        await tp.deliver('Bright Sparks', 300);
        await eventually('both answers taken', async () => (await tp.handle().query(onboardingProgressQuery)).step === 'ASK_SERVICE_AREA');
        assert.deepEqual(tp.received().slice(1), [text.askTrade('Bright Sparks'), text.ASK_SERVICE_AREA]);
      },
      { settleMs: 1000 },
    );
  });
});

describe('failures', () => {
  test('a text that cannot be sent: the operator hears of it (the phone masked), and the sign-up goes on', async () => {
    let sends = 0;
    const stubs = new StubbedActivities({
      sendSms: async () => {
        if (sends++ === 0) throw ApplicationFailure.nonRetryable('Attempt to send to unsubscribed recipient (21610)', FailureType.TwilioPermanent);
        return { sid: 'SMsent', status: 'SENT', reconciled: false };
      },
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      await tp.say('Hi');
      const [alert] = stubs.alerts('SMS_SEND_FAILED');
      assert.match(alert!.detail, /^The onboarding welcome text to a tradesperson \(\*+\d{3}\) failed \(TwilioPermanentError/);
      assert.ok(!alert!.detail.includes(tp.phone));
      assert.deepEqual(await tp.say('Ace Plumbing'), [text.askTrade('Ace Plumbing')]);
    });
  });

  test('a step that fails for good fails the run, and the operator is told how to repair it', async () => {
    const stubs = new StubbedActivities({
      saveOnboardingState: async () => {
        throw ApplicationFailure.nonRetryable('relation "OnboardingState" does not exist', 'DatabaseError');
      },
    });
    await rig.withStubs(stubs, async ({ starts }) => {
      const tp = tradesperson(stubs, starts);
      const sid = await tp.deliver('Hi');
      await assert.rejects(tp.handle().result());
      const [alert] = stubs.alerts('WORKFLOW_FAILED');
      assert.equal(alert!.sourceKey, `${onboardingWorkflowId(tp.phone)}:failed:${sid}:ASK_BUSINESS_NAME`);
      assert.match(alert!.detail, /Repair it with temporal workflow reset/);
    });
  });
});

describe('runs carried over', () => {
  test('a run carried from an older release, waiting for a number without its wait fields, tries again within 15 minutes', async () => {
    const stubs = new StubbedActivities();
    await rig.withStubs(stubs, async ({ client, taskQueue }) => {
      const phone = '+447933300902';
      const carried: OnboardingCarried = {
        step: 'WAITING_FOR_NUMBER',
        data: { businessName: 'Old Run Heating', trade: 'heating', serviceArea: ['M1'] },
        pending: [],
        seenSids: ['SMold0000000000000000000000000000'],
        lastInboundAt: await rig.env.currentTimeMs(),
        lastSid: 'SMold0000000000000000000000000000',
        reminded: false,
      };
      const handle = await client.workflow.start(onboarding, { workflowId: onboardingWorkflowId(phone), taskQueue, args: [{ phone, onboardingNumber: ONBOARDING_NUMBER, settleMs: 0, carried }] });
      assert.equal(await handle.result(), 'complete');
      assert.deepEqual(stubs.textsTo(phone).map((t) => t.body), [text.numberReady('Old Run Heating', NEW_NUMBER)]);
      const [call] = stubs.callsOf('completeOnboarding');
      assert.equal(call!.input.messageSid, 'SMold0000000000000000000000000000');
    });
  });
});
