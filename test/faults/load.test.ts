// Load: 500 inbound texts from 500 customers, 25 requests at a time, a fifth
// of them replayed by "Twilio" (the same MessageSid again, some while the
// first delivery is still in flight). Every one acknowledged, stored once,
// answered once. Speed is printed, never asserted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { inPool, percentile, tally } from '../support/faults';
import { metricValue } from '../support/metrics';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { TestSystem, createClientFixture, resetDatabase, sid } from '../support/system';

const CUSTOMERS = 500;
const CONCURRENCY = 25;
const REPLAY_SHARE = 0.2;

const webhooks = (system: TestSystem, outcome: string) => metricValue(`${system.baseUrl}/metrics`, 'jobrun_sms_webhooks_total', { outcome });

describe('load: 500 customers, 25 concurrent requests, 20% replayed', () => {
  const system = new TestSystem('faults-load');
  before(async () => {
    await system.start();
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  test('every webhook acknowledged 200, every message stored once and answered once', async () => {
    const client = await createClientFixture(system.db, { businessName: 'Load Test Plumbing', ownerPhone: '+447700900400' });
    const customers = Array.from({ length: CUSTOMERS }, uniqueMobile);
    const originals = customers.map((from, i) => ({ MessageSid: sid(), From: from, To: client.number, Body: `Could you quote for a new outside tap? Job ${i}` }));

    // Every fifth message is delivered again, 1 to 40 requests after the first: with 25 in flight, often at the same time.
    const replayEvery = Math.round(1 / REPLAY_SHARE);
    const schedule: Array<{ params: (typeof originals)[number]; replay: boolean; at: number }> = originals.map((params, i) => ({ params, replay: false, at: i }));
    originals.forEach((params, i) => {
      if (i % replayEvery === 0) schedule.push({ params, replay: true, at: i + 1 + ((i * 7) % 40) + 0.5 });
    });
    schedule.sort((a, b) => a.at - b.at);
    const replays = schedule.filter((s) => s.replay).length;
    assert.equal(replays, CUSTOMERS * REPLAY_SHARE);

    const acceptedBefore = await webhooks(system, 'accepted');
    const duplicateBefore = await webhooks(system, 'duplicate');
    const started = Date.now();
    const acks = await inPool(schedule, CONCURRENCY, async ({ params }) => {
      const t0 = performance.now();
      const res = await system.post('/sms', params);
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - t0 };
    });
    const ackedIn = Date.now() - started;
    const latencies = acks.map((a) => a.ms);

    // Answered: each customer has their reply at Twilio.
    await eventually('every customer answered', () => customers.every((c) => system.twilio.to(c).length > 0), 300_000).catch((err: Error) => {
      assert.fail(`${err.message}: ${customers.filter((c) => system.twilio.to(c).length === 0).length} of ${CUSTOMERS} never answered`);
    });
    const answeredIn = Date.now() - started;
    console.log(
      [
        `  load: ${schedule.length} webhooks (${CUSTOMERS} messages + ${replays} replays), ${CONCURRENCY} at a time`,
        `  ack latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms`,
        `  all acknowledged in ${(ackedIn / 1000).toFixed(1)} s (${((schedule.length / ackedIn) * 1000).toFixed(0)} webhooks/s); all ${CUSTOMERS} answered in ${(answeredIn / 1000).toFixed(1)} s`,
      ].join('\n'),
    );

    const statuses = tally(acks.map((a) => String(a.status)));
    assert.deepEqual(statuses, new Map([['200', schedule.length]]), 'every webhook acknowledged 200');
    assert.equal((await webhooks(system, 'accepted')) - acceptedBefore, CUSTOMERS, 'each message accepted once');
    assert.equal((await webhooks(system, 'duplicate')) - duplicateBefore, replays, 'each replay recognised');

    await inPool(originals, CONCURRENCY, (params) => system.finished(params));
    const replies = tally(system.twilio.messages.map((m) => m.to));
    const wrong = customers.filter((c) => replies.get(c) !== 1).map((c) => `${c}: ${replies.get(c) ?? 0}`);
    assert.deepEqual(wrong, [], 'exactly one reply per customer');

    const inbound = await system.db.message.findMany({ where: { conversation: { clientId: client.clientId }, direction: 'INBOUND' }, select: { twilioSid: true } });
    assert.equal(inbound.length, CUSTOMERS, 'one Message row per message');
    assert.deepEqual(new Set(inbound.map((m) => m.twilioSid)), new Set(originals.map((o) => o.MessageSid)));
    const outbound = await system.db.message.count({ where: { conversation: { clientId: client.clientId }, direction: 'OUTBOUND' } });
    assert.equal(outbound, CUSTOMERS, 'one stored reply per message');
    assert.equal(await system.db.customer.count({ where: { clientId: client.clientId } }), CUSTOMERS);
  });
});
