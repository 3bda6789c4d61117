// A query that comes with a conversation's workflow task while its turn waits
// on a local activity makes sdk-core answer it, send the activity's marker and
// take the rest of the turn in a new task. Replayed (a worker restarted, a run
// evicted from its cache), such a history used to fail as non-deterministic on
// the first patch asked about after the activity, and the conversation stopped
// answering. Provoked here for real on a dev server, then replayed.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import { temporal as proto } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { createStarts } from '../../src/temporal/starts';
import { conversationProgressQuery } from '../../workflows/conversation';
import { conversationWorkflowId } from '../../workflows/shared/ids';
import { untilHandled } from '../support/poll';
import { CLIENT, StubbedActivities, inbound } from '../support/stub-activities';
import { testEnv } from '../support/system';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

const { EventType } = proto.api.enums.v1;

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig({ devServer: true });
});
after(() => rig.stop());

test('a turn whose task a query split at a local activity replays, so a restarted worker carries the conversation on', async () => {
  // A task queue no worker polls yet: the text's task waits there, and the query waits with it.
  const taskQueue = `split-${randomBytes(4).toString('hex')}`;
  const start = { clientId: CLIENT.id, customerId: 'customer-split', conversationId: 'conversation-split', customerPhone: '+447911900777', jobrunNumber: '+447700900001' };
  const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
  const msg = inbound('My boiler has stopped, no heating at all', Date.now());
  await createStarts(rig.env.client, { taskQueue, settleMs: 0 }).toConversation(start, msg);
  const queried = handle.query(conversationProgressQuery);
  // Give the query time to reach the server before a worker polls. Not a wait for nothing to happen: if the
  // worker wins the race there is no split, and the assertion on the history below fails instead of passing.
  await new Promise((r) => setTimeout(r, 300));

  const stubs = new StubbedActivities();
  const worker = await Worker.create({ connection: rig.env.nativeConnection, taskQueue, workflowBundle: { codePath: testEnv('WORKFLOW_BUNDLE_PATH') }, activities: stubs.implementations });
  const { events } = await worker.runUntil(async () => {
    await queried;
    await untilHandled(handle, conversationProgressQuery, msg.messageSid);
    return handle.fetchHistory();
  });

  const marker = (events ?? []).findIndex((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity');
  assert.ok(marker > 0, 'the turn ran a local activity');
  assert.equal(events![marker + 1]!.eventType, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 'the query split the task at the activity');
  await Worker.runReplayHistory({ workflowBundle: { codePath: testEnv('WORKFLOW_BUNDLE_PATH') } }, { events }, handle.workflowId);
});
