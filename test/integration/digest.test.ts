// The evening digest end to end: the worker's Temporal Schedule, real
// Postgres, Twilio faked at its wire. The schedule is triggered rather than
// waited for; the digest is keyed by client and UK day, so triggering it again
// sends nothing new.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { digestScheduleId } from '../../src/temporal/schedules';
import type { eveningDigest } from '../../workflows';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { TestSystem, createClientFixture, resetDatabase, sid } from '../support/system';

const system = new TestSystem('digest');
before(async () => {
  await system.start();
  await resetDatabase(system.db);
});
after(() => system.stop());

/** Triggers the schedule and waits for the digest run it starts; returns its result. */
async function digestNow(): Promise<Awaited<ReturnType<typeof eveningDigest>>> {
  const schedule = system.temporal.schedule.getHandle(digestScheduleId(system.taskQueue));
  const before = (await schedule.describe()).info.recentActions.length;
  await schedule.trigger();
  const run = await eventually('the digest started', async () => {
    const actions = (await schedule.describe()).info.recentActions;
    return actions.length > before ? actions.at(-1)!.action.workflow.workflowId : undefined;
  });
  return system.temporal.workflow.getHandle<typeof eveningDigest>(run).result();
}

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
