// The follow-up nudge on the time-skipping server: one nudge after 2 h of
// silence (held until 08:00 UK time in quiet hours), nothing more, and the
// conversation closes after a day of silence.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { resetDatabase, createClientFixture, sid } from '../support/system';
import { startTimeSkippingRig, type TimeSkippingRig } from '../support/time-skipping';
import { msUntilDaytime } from '../../workflows/quiet-hours';
import { CONVERSATION_WORKFLOW, INBOUND_SIGNAL, conversationWorkflowId, type ConversationInput, type InboundSignal } from '../../src/workflow-api';

let rig: TimeSkippingRig;
before(async () => {
  rig = await startTimeSkippingRig();
  await resetDatabase(rig.db);
});
after(() => rig.stop());

test('a customer who goes quiet mid-qualification gets exactly one nudge, in UK daytime', async () => {
  const client = await createClientFixture(rig.db, { businessName: 'Quiet Hours Plumbing' });
  const customerPhone = '+447911777001';
  const customer = await rig.db.customer.create({ data: { clientId: client.clientId, phone: customerPhone } });
  const conv = await rig.db.conversation.create({ data: { clientId: client.clientId, customerId: customer.id } });
  const snapshot = await rig.db.client.findUniqueOrThrow({ where: { id: client.clientId } });
  const input: ConversationInput = {
    clientId: client.clientId,
    customerId: customer.id,
    conversationId: conv.id,
    customerPhone,
    jobrunNumber: client.number,
  };
  const toCustomer = () => rig.twilio.to(customerPhone);

  await rig.worker.runUntil(async () => {
    const t0 = await rig.env.currentTimeMs();
    const signal: InboundSignal = {
      messageSid: sid(),
      // Routine on purpose: the time-skipping server has none of JobRun's search attributes (urgency is one).
      body: 'I would like a quote for a new bathroom suite',
      receivedAt: new Date(t0).toISOString(),
      client: {
        id: snapshot.id,
        businessName: snapshot.businessName,
        trade: snapshot.trade,
        serviceArea: snapshot.serviceArea,
        ownerPhone: snapshot.phoneNumber,
        outboundPaused: false,
        ringTimeoutSeconds: 20,
      },
    };
    const handle = await rig.env.client.workflow.signalWithStart(CONVERSATION_WORKFLOW, {
      workflowId: conversationWorkflowId(client.clientId, customer.id),
      taskQueue: rig.taskQueue,
      args: [input],
      signal: INBOUND_SIGNAL,
      signalArgs: [signal],
    });
    for (let i = 0; i < 100 && toCustomer().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(toCustomer().length, 1, 'the first reply');
    assert.match(toCustomer()[0]!.body, /What's the postcode|postcode/);

    const nudgeDue = t0 + 2 * 3_600_000 + msUntilDaytime(t0 + 2 * 3_600_000);
    const now = await rig.env.currentTimeMs();
    await rig.env.sleep(nudgeDue - now - 60_000);
    assert.equal(toCustomer().length, 1, 'no nudge before it is due');
    await rig.env.sleep(120_000);
    for (let i = 0; i < 50 && toCustomer().length < 2; i++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(toCustomer().length, 2, 'the nudge');
    assert.match(toCustomer()[1]!.body, /still need a hand/);

    await handle.result(); // a day of silence closes it (time skips)
    assert.equal(toCustomer().length, 2, 'nothing more than one nudge');
    const closedAt = await rig.env.currentTimeMs();
    assert.ok(closedAt - nudgeDue >= 24 * 3_600_000 - 60_000, 'closed a day after the nudge');
  });
});
