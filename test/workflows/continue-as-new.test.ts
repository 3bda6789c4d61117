// Continue-as-new for real: a dev server that suggests it after a few dozen
// history events (a real one does at 4,096), so that a conversation and a
// sign-up roll over into new runs mid-way, and go on from their carried state.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { conversationProgressQuery } from '../../workflows/conversation';
import { onboardingProgressQuery } from '../../workflows/onboarding';
import { conversationWorkflowId, onboardingWorkflowId } from '../../workflows/shared/ids';
import { CLIENT, StubbedActivities, inbound, lastText, routineTurn } from '../support/stub-activities';
import { untilHandled } from '../support/poll';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig({ suggestContinueAsNewAt: 40 });
});
after(() => rig.stop());

async function runsOf(workflowId: string): Promise<string[]> {
  const runs: string[] = [];
  for await (const w of rig.env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.push(`${w.runId}:${w.status.name}`);
  return runs;
}

test('a conversation rolls over into a new run when Temporal suggests it, and goes on from its carried state', async () => {
  const stubs = new StubbedActivities({
    qualifyTurn: async (input) => ({ result: routineTurn(`noted: ${lastText(input)}`, { urgency: 'URGENT', urgencyReason: 'active leak' }), engine: 'openai', tokens: 1 }),
  });
  const start = { clientId: CLIENT.id, customerId: 'customer-can', conversationId: 'conversation-row-can', customerPhone: '+447911999001', jobrunNumber: '+447700900001' };
  await rig.withStubs(stubs, async ({ starts }) => {
    const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
    const texts = [];
    let firstRun = '';
    for (let i = 1; i <= 12; i++) {
      const msg = inbound(`text ${i}`, Date.now());
      texts.push(msg);
      await starts.toConversation(start, msg);
      await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      const { runId } = await handle.describe();
      firstRun ||= runId;
      if (runId !== firstRun) break;
    }
    assert.notEqual((await handle.describe()).runId, firstRun, 'a new run');
    assert.ok((await runsOf(handle.workflowId)).includes(`${firstRun}:CONTINUED_AS_NEW`));

    const carried = await handle.query(conversationProgressQuery);
    assert.equal(carried.turns, texts.length);
    assert.equal(carried.escalatedUrgency, 'URGENT');
    assert.deepEqual(carried.transcript.slice(0, 2), [
      { direction: 'INBOUND', body: 'text 1' },
      { direction: 'OUTBOUND', body: 'noted: text 1' },
    ]);

    await starts.toConversation(start, texts[0]!);
    const next = inbound('one more', Date.now());
    await starts.toConversation(start, next);
    await untilHandled(handle, conversationProgressQuery, next.messageSid);
    assert.equal(stubs.of('qualifyTurn').length, texts.length + 1, 'the first text, handed over again, is still known');
    assert.equal(stubs.of('qualifyTurn').at(-1)!.transcript[0]!.body, 'text 1');
    assert.equal(stubs.textsTo(CLIENT.ownerPhone).length, 1, 'the tradesperson was told once, across runs');
  });
});

test('a sign-up rolls over the same way, keeping its step and answers', async () => {
  const stubs = new StubbedActivities();
  const phone = '+447933399001';
  await rig.withStubs(stubs, async ({ starts }) => {
    const handle = rig.env.client.workflow.getHandle(onboardingWorkflowId(phone));
    let firstRun = '';
    let sid = 0;
    const say = async (body: string) => {
      const messageSid = `SMcan${String(++sid).padStart(29, '0')}`;
      await starts.toOnboarding({ phone, onboardingNumber: '+447700900002' }, { messageSid, body, receivedAt: new Date().toISOString() });
      await untilHandled(handle, onboardingProgressQuery, messageSid);
      firstRun ||= (await handle.describe()).runId;
    };
    await say('Hi');
    await say('Rollover Roofing');
    for (let i = 0; i < 12 && (await handle.describe()).runId === firstRun; i++) await say('?'); // unreadable trades, asked again
    assert.notEqual((await handle.describe()).runId, firstRun, 'a new run');
    const progress = await handle.query(onboardingProgressQuery);
    assert.deepEqual([progress.step, progress.data.businessName], ['ASK_TRADE', 'Rollover Roofing']);
    await say('roofer');
    assert.equal((await handle.query(onboardingProgressQuery)).step, 'ASK_SERVICE_AREA');
  });
});
