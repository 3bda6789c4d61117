// The nudge across the nights the clocks change, each on a time-skipping
// server of its own: it must start before that night, and once a workflow's
// result has been awaited the test server may have skipped years ahead.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { conversationWorkflowId } from '../../workflows/shared/ids';
import { CLIENT, StubbedActivities, inbound } from '../support/stub-activities';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
beforeEach(async () => {
  rig = await startWorkflowRig();
});
afterEach(() => rig.stop());

const start = { clientId: CLIENT.id, customerId: 'customer-dst', conversationId: 'conversation-row-dst', customerPhone: '+447100000001', jobrunNumber: '+447700900001' };

test('g. a nudge falling due on the night the clocks go forward still waits for 08:00 UK time', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts }) => {
    // 20:00 GMT on Saturday 27 March 2027; the nudge falls due at 22:00 and is held until 08:00 BST (07:00 UTC).
    const evening = Date.parse('2027-03-27T20:00:00Z');
    await rig.env.sleep(evening - (await rig.env.currentTimeMs()));
    const handle = rig.env.client.workflow.getHandle(await starts.toConversation(start, inbound('Quote for a new boiler please', await rig.env.currentTimeMs())));
    assert.equal(handle.workflowId, conversationWorkflowId(start.clientId, start.customerId));
    await handle.result();
    const nudge = stubs.callsOf('sendSms').find((c) => c.input.purpose === 'nudge');
    assert.ok(nudge, 'nudged');
    assert.ok(Math.abs(nudge.at - Date.parse('2027-03-28T07:00:00Z')) < 60_000, `nudged at ${new Date(nudge.at).toISOString()}`);
  });
});

test('g. and on the night they go back, 08:00 GMT, not 07:00', async () => {
  const stubs = new StubbedActivities();
  await rig.withStubs(stubs, async ({ starts }) => {
    // 20:00 BST on Saturday 30 October 2027; 08:00 GMT on Sunday is 08:00 UTC.
    const evening = Date.parse('2027-10-30T19:00:00Z');
    await rig.env.sleep(evening - (await rig.env.currentTimeMs()));
    const handle = rig.env.client.workflow.getHandle(await starts.toConversation({ ...start, customerId: 'customer-dst-2' }, inbound('Quote for a new boiler please', await rig.env.currentTimeMs())));
    await handle.result();
    const nudge = stubs.callsOf('sendSms').find((c) => c.input.purpose === 'nudge');
    assert.ok(nudge, 'nudged');
    assert.ok(Math.abs(nudge.at - Date.parse('2027-10-31T08:00:00Z')) < 60_000, `nudged at ${new Date(nudge.at).toISOString()}`);
  });
});
