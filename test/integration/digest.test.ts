// The worker's daily Schedules end to end, real Postgres, Twilio faked at its
// wire: the evening digest, and the morning check of the pool's numbers. The
// schedules are triggered rather than waited for; the digest is keyed by
// client and UK day, so triggering it again sends nothing new.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { digestScheduleId, numberCheckScheduleId } from '../../src/temporal/schedules';
import { wantedWebhooks } from '../../src/twilio/number-webhooks';
import type { eveningDigest, numberCheck } from '../../workflows';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { TestSystem, createClientFixture, resetDatabase, sid } from '../support/system';

const system = new TestSystem('digest');
before(async () => {
  await system.start();
  await resetDatabase(system.db);
});
after(() => system.stop());

/** Triggers a schedule and waits for the run it starts; returns its result. */
async function runNow<R>(scheduleId: string): Promise<R> {
  const schedule = system.temporal.schedule.getHandle(scheduleId);
  const before = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger();
  const run = await eventually('the digest started', async () => {
    const actions = (await schedule.describe()).info.recentActions;
    return actions.length > before ? actions.at(-1)!.action.workflow.workflowId : undefined;
  });
  return (await system.temporal.workflow.getHandle(run).result()) as R;
}
const digestNow = () => runNow<Awaited<ReturnType<typeof eveningDigest>>>(digestScheduleId(system.taskQueue));

test('a client with jobs today gets one digest from its JobRun number, whatever reruns; a client without gets none', async () => {
  const busy = await createClientFixture(system.db, { businessName: 'Busy Heating', ownerPhone: uniqueMobile() });
  const quiet = await createClientFixture(system.db, { businessName: 'Quiet Roofing', ownerPhone: uniqueMobile() });
  for (const body of ['I can smell gas in the kitchen, SE1 7PB', 'no heating and no hot water since last night']) {
    const params = { MessageSid: sid(), From: uniqueMobile(), To: busy.number, Body: body };
    await system.post('/sms', params);
    await system.finished(params);
  }
  const owner = (phone: string) => system.twilio.to(phone).map((m) => m.body).filter((b) => b.startsWith('JobRun today'));

  const first = await digestNow();
  assert.equal(first.sent, 1);
  assert.deepEqual(owner(quiet.ownerPhone), []);
  const [digest, ...more] = owner(busy.ownerPhone);
  assert.equal(more.length, 0);
  assert.equal(system.twilio.to(busy.ownerPhone).find((m) => m.body === digest)!.from, busy.number);
  assert.match(digest!, /^JobRun today for Busy Heating: 2 jobs\.\nJ1 EMERGENCY gas smell, SE1 7PB\nJ2 URGENT no heating or hot water\nNot yet taken: J1, J2\.$/);

  await digestNow();
  assert.equal(owner(busy.ownerPhone).length, 1, 'one digest a day');
});

test("the morning number check: a pool number that does not point at JobRun at Twilio, or that the account lacks, is the operator's to hear of", async () => {
  await resetDatabase(system.db);
  const right = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
  const edited = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
  const gone = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
  const wanted = wantedWebhooks(system.baseUrl);
  const asSet = { SmsUrl: wanted.smsUrl, SmsMethod: 'POST', VoiceUrl: wanted.voiceUrl, VoiceMethod: 'POST', StatusCallback: wanted.statusCallback, StatusCallbackMethod: 'POST' };
  system.twilio.ownNumber(right.number, asSet);
  system.twilio.ownNumber(edited.number, { ...asSet, VoiceUrl: 'https://old.example.com/voice' });
  const result = await runNow<Awaited<ReturnType<typeof numberCheck>>>(numberCheckScheduleId(system.taskQueue));
  assert.deepEqual(result, { drifted: 2 });
  const alert = await eventually('the alert', async () => (await system.db.operatorAlert.findFirst({ where: { kind: 'NUMBER_MISCONFIGURED' } })) ?? undefined);
  assert.ok(alert.detail.includes(`${edited.number} (voiceUrl)`), alert.detail);
  assert.ok(alert.detail.includes(`${gone.number} (not a number of Twilio account`), alert.detail);
  assert.ok(!alert.detail.includes(right.number));
});

