// The conversation workflow with its activities stubbed, on the time-skipping
// server: every branch of a turn (AI, fallback, caps, escalation, summary,
// hand-over), the ordering window, the nudge and the idle close, and runs
// carried over from earlier ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { conversation } from '../../workflows';
import { conversationProgressQuery, inboundSignal, LIMITS } from '../../workflows/conversation';
import { handoverNotice, holdingReply, systemGateReply } from '../../workflows/guard-messages';
import { personAskedNotice, personHandover } from '../../workflows/person-request';
import { handedBack, takenOver } from '../../workflows/tradesperson-replies';
import { msUntilDaytime } from '../../workflows/quiet-hours';
import { FailureType } from '../../workflows/shared/failures';
import { conversationWorkflowId } from '../../workflows/shared/ids';
import { SA } from '../../workflows/shared/search-attributes';
import type { ConversationInput, ConversationState, TradespersonSignal } from '../../workflows/shared/types';
import { CLIENT, StubbedActivities, inbound, lastText, routineTurn } from '../support/stub-activities';
import { untilHandled } from '../support/poll';
import { startWorkflowRig, type WorkflowRig } from '../support/workflow-rig';

const HOUR = 3_600_000;
let rig: WorkflowRig;
before(async () => {
  rig = await startWorkflowRig();
});
after(() => rig.stop());

let customers = 0;
function conversationOf(): Omit<ConversationInput, 'settleMs' | 'carried'> {
  customers += 1;
  return {
    clientId: CLIENT.id,
    customerId: `customer-${customers}`,
    conversationId: `conversation-row-${customers}`,
    customerPhone: `+4479110000${String(customers).padStart(2, '0')}`,
    jobrunNumber: '+447700900001',
  };
}

const replies = (stubs: StubbedActivities, start: { customerPhone: string }) => stubs.textsTo(start.customerPhone).map((t) => t.body);
const toTradesperson = (stubs: StubbedActivities) => stubs.textsTo(CLIENT.ownerPhone);

describe('a turn', () => {
  test('a text gets one reply, from the JobRun number, keyed by the workflow and the text; the job is saved', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('my kitchen tap drips', await rig.env.currentTimeMs());
      const workflowId = await starts.toConversation(start, msg);
      assert.equal(workflowId, conversationWorkflowId(start.clientId, start.customerId));
      const progress = await untilHandled(rig.env.client.workflow.getHandle(workflowId), conversationProgressQuery, msg.messageSid);
      assert.deepEqual(progress.transcript, [
        { direction: 'INBOUND', body: 'my kitchen tap drips' },
        { direction: 'OUTBOUND', body: 'reply to: my kitchen tap drips' },
      ]);
      const [reply] = stubs.textsTo(start.customerPhone);
      assert.deepEqual(reply, {
        idempotencyKey: `${workflowId}:reply:${msg.messageSid}`,
        purpose: 'reply',
        to: start.customerPhone,
        from: start.jobrunNumber,
        body: 'reply to: my kitchen tap drips',
        conversationId: start.conversationId,
      });
      assert.equal(stubs.of('saveJob')[0]!.conversationId, start.conversationId);
      assert.equal(stubs.of('saveJob')[0]!.escalatedAt, null);
      assert.deepEqual(stubs.of('recordAiUsage'), [{ clientId: CLIENT.id, engine: 'openai', tokens: 100, fallback: false }]);
      assert.equal(toTradesperson(stubs).length, 0, 'a routine, unfinished job is not the tradesperson\'s yet');
    });
  });

  test('the same text handed over again, before or after its turn, is one turn', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('boiler pressure low', await rig.env.currentTimeMs());
      const workflowId = await starts.toConversation(start, msg);
      await starts.toConversation(start, msg);
      const handle = rig.env.client.workflow.getHandle(workflowId);
      await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      await starts.toConversation(start, msg);
      const later = inbound('it is a Worcester', await rig.env.currentTimeMs());
      await starts.toConversation(start, later);
      await untilHandled(handle, conversationProgressQuery, later.messageSid);
      assert.deepEqual(replies(stubs, start), ['reply to: boiler pressure low', 'reply to: it is a Worcester']);
      assert.equal(stubs.of('qualifyTurn').length, 2);
    });
  });

  test('texts handed over out of order within the ordering window are taken in the order they were sent', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(
      stubs,
      async ({ starts }) => {
        const now = await rig.env.currentTimeMs();
        const second = inbound('second: it is the kitchen one', now);
        const first = inbound('first: my tap drips', now, { ageMs: 300 });
        const workflowId = await starts.toConversation(start, second);
        await starts.toConversation(start, first);
        await untilHandled(rig.env.client.workflow.getHandle(workflowId), conversationProgressQuery, second.messageSid);
        assert.deepEqual(replies(stubs, start), ['reply to: first: my tap drips', 'reply to: second: it is the kitchen one']);
        assert.deepEqual(stubs.of('qualifyTurn')[1]!.transcript.map((l) => l.body), [first.body, 'reply to: first: my tap drips', second.body]);
      },
      { settleMs: 1000 },
    );
  });

  test('a reply the customer will not get (opted out) stays out of the transcript', async () => {
    const stubs = new StubbedActivities({ sendSms: async () => ({ sid: '', status: 'SUPPRESSED', reconciled: false }) });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('hello', await rig.env.currentTimeMs());
      const progress = await untilHandled(rig.env.client.workflow.getHandle(await starts.toConversation(start, msg)), conversationProgressQuery, msg.messageSid);
      assert.deepEqual(progress.transcript, [{ direction: 'INBOUND', body: 'hello' }]);
    });
  });
});

describe('the tradesperson', () => {
  test('urgency rising is escalated at once, once per level: URGENT, then EMERGENCY, never again for URGENT', async () => {
    const script = ['URGENT', 'URGENT', 'EMERGENCY', 'URGENT'] as const;
    let turn = 0;
    const stubs = new StubbedActivities({
      qualifyTurn: async (input) => {
        const urgency = script[turn++]!;
        return { result: routineTurn(`noted: ${lastText(input)}`, { urgency, urgencyReason: `${urgency.toLowerCase()} signs` }), engine: 'openai', tokens: 1 };
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      let workflowId = '';
      let first = '';
      for (const body of ['leak under the sink', 'it is getting worse', 'now water is on the sockets', 'ok I turned it off']) {
        const msg = inbound(body, await rig.env.currentTimeMs());
        first ||= msg.receivedAt;
        workflowId = await starts.toConversation(start, msg);
        await untilHandled(rig.env.client.workflow.getHandle(workflowId), conversationProgressQuery, msg.messageSid);
      }
      const escalations = toTradesperson(stubs);
      assert.equal(escalations.length, 2);
      assert.deepEqual(escalations.map((e) => e.purpose), ['escalation', 'escalation']);
      assert.match(escalations[0]!.body, /^JobRun URGENT J7 for Ace Plumbing: urgent signs\. Customer unknown name on \+44/);
      assert.match(escalations[1]!.body, /^JobRun EMERGENCY J7 for Ace Plumbing/);
      assert.deepEqual(stubs.of('openJob'), [{ clientId: CLIENT.id, customerId: start.customerId, conversationId: start.conversationId }], 'the reference is asked for once');
      assert.ok(escalations.every((e) => e.from === start.jobrunNumber && e.body.includes(start.customerPhone) && e.conversationId === undefined));
      const description = await rig.env.client.workflow.getHandle(workflowId).describe();
      assert.equal(description.typedSearchAttributes.get(SA.urgency), 'EMERGENCY');
      assert.equal(stubs.of('saveJob')[0]!.escalatedAt, first, 'the job records when the tradesperson was first told');
      // Each escalation asks for the job to be taken, and raises the job's one chain with what was texted.
      assert.ok(escalations.every((e) => e.body.endsWith(' Reply J7 (or 1) to take it.')));
      const raised = stubs.of('raiseEscalation');
      assert.deepEqual(raised.map((r) => [r.urgency, r.alertText, r.conversationId]), [
        ['URGENT', escalations[0]!.body, start.conversationId],
        ['EMERGENCY', escalations[1]!.body, start.conversationId],
      ]);
      assert.deepEqual(raised[1]!.customerTexts, ['leak under the sink', 'it is getting worse', 'now water is on the sockets']);
    });
  });

  test('a chain that cannot be raised: the tradesperson still has the text, and the operator is told to ring them', async () => {
    const stubs = new StubbedActivities({
      qualifyTurn: async () => ({ result: routineTurn('Please leave the property now.', { urgency: 'EMERGENCY', urgencyReason: 'gas smell' }), engine: 'openai', tokens: 1 }),
      raiseEscalation: async () => {
        throw ApplicationFailure.nonRetryable('Temporal is refusing starts', 'TestFailure');
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('I can smell gas', await rig.env.currentTimeMs());
      const workflowId = await starts.toConversation(start, msg);
      await untilHandled(rig.env.client.workflow.getHandle(workflowId), conversationProgressQuery, msg.messageSid);
      assert.equal(toTradesperson(stubs).length, 1);
      const [alert] = stubs.alerts();
      assert.equal(alert!.kind, 'WORKFLOW_FAILED');
      assert.match(alert!.detail, /could not start.*Ring the tradesperson/);
      assert.equal(stubs.of('saveJob').length, 1, 'the turn goes on');
    });
  });

  test('a database too slow to give the reference does not hold the alert: it goes without one, and the job is still saved', async () => {
    const stubs = new StubbedActivities({
      qualifyTurn: async () => ({ result: routineTurn('Please leave the property now.', { urgency: 'EMERGENCY', urgencyReason: 'gas smell' }), engine: 'openai', tokens: 1 }),
      openJob: async () => {
        throw new Error('connection terminated');
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('I can smell gas', await rig.env.currentTimeMs());
      const workflowId = await starts.toConversation(start, msg);
      await untilHandled(rig.env.client.workflow.getHandle(workflowId), conversationProgressQuery, msg.messageSid);
      assert.match(toTradesperson(stubs)[0]!.body, /^JobRun EMERGENCY for Ace Plumbing: gas smell\./);
      assert.equal(stubs.of('openJob').length, 2, 'two quick tries, no more');
      assert.equal(stubs.of('saveJob').length, 1);
    });
  });

  test('a customer who asks for a person is handed to the tradesperson at once; JobRun then only watches for an emergency', async () => {
    const stubs = new StubbedActivities({
      qualifyWithRules: async (input) => {
        const gas = /gas/.test(lastText(input));
        return { result: routineTurn(gas ? 'Leave the property and call 0800 111 999.' : 'ok', gas ? { urgency: 'EMERGENCY', urgencyReason: 'gas smell' } : {}), engine: 'rules', tokens: 0 };
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      for (const body of ['leak under the sink', 'can I speak to a real person please', 'hello?', 'now I can smell gas too']) {
        const msg = inbound(body, await rig.env.currentTimeMs());
        await starts.toConversation(start, msg);
        await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      }
      assert.deepEqual(replies(stubs, start), [
        'reply to: leak under the sink',
        personHandover(CLIENT.businessName),
        'Leave the property and call 0800 111 999.',
      ]);
      assert.equal(stubs.of('qualifyTurn').length, 1, 'no AI turn after the hand-over');
      assert.deepEqual(toTradesperson(stubs).map((t) => t.purpose), ['summary', 'escalation']);
      assert.equal(toTradesperson(stubs)[0]!.body, personAskedNotice(start.customerPhone, 'J7', 'leak under the sink'));
      assert.match(toTradesperson(stubs)[1]!.body, /^JobRun EMERGENCY J7 for Ace Plumbing: gas smell/);
    });
  });

  test('a routine job, once qualified, is summarised to the tradesperson once', async () => {
    const stubs = new StubbedActivities({
      qualifyTurn: async (input) => ({
        result: routineTurn('Thanks, the team will be in touch.', {
          complete: true,
          job: { tradeCategory: 'plumbing', description: 'new outside tap', postcode: 'SE1 7PB', address: null, customerName: 'Sam', preferredTime: 'Friday', accessNotes: null },
        }),
        engine: 'openai',
        tokens: lastText(input).length,
      }),
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      for (const body of ['new outside tap please, SE1 7PB, Sam, Friday', 'thanks!']) {
        const msg = inbound(body, await rig.env.currentTimeMs());
        await starts.toConversation(start, msg);
        await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      }
      const summaries = toTradesperson(stubs);
      assert.equal(summaries.length, 1);
      assert.equal(summaries[0]!.purpose, 'summary');
      assert.equal(summaries[0]!.body, `JobRun new job J7: new outside tap. Sam on ${start.customerPhone} at SE1 7PB, prefers Friday.`);
    });
  });

  test('a job that was escalated gets no summary when it is complete', async () => {
    let turn = 0;
    const stubs = new StubbedActivities({
      qualifyTurn: async () => ({ result: routineTurn('ok', { urgency: turn++ === 0 ? 'URGENT' : 'ROUTINE', complete: turn > 1 }), engine: 'openai', tokens: 1 }),
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      for (const body of ['no hot water', 'SE1 7PB, Sam']) {
        const msg = inbound(body, await rig.env.currentTimeMs());
        await starts.toConversation(start, msg);
        await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      }
      assert.deepEqual(toTradesperson(stubs).map((t) => t.purpose), ['escalation']);
    });
  });
});

describe('taken over by the tradesperson', () => {
  let relays = 0;
  const fromThem = async (command: TradespersonSignal['command']) => {
    relays += 1;
    return { messageSid: `SMrelay${String(relays).padStart(27, '0')}`, receivedAt: new Date(await rig.env.currentTimeMs()).toISOString(), reference: 'J7', command };
  };

  test('their words reach the customer as theirs; JobRun passes the customer\'s texts on instead of answering; BOT hands it back', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      const customer = async (body: string) => {
        const msg = inbound(body, await rig.env.currentTimeMs());
        await starts.toConversation(start, msg);
        await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      };
      const tradesperson = async (command: TradespersonSignal['command']) => {
        const sig = await fromThem(command);
        await starts.tradespersonToConversation(start, sig);
        await untilHandled(handle, conversationProgressQuery, sig.messageSid);
      };
      await customer('leak under the sink');
      await tradesperson({ kind: 'relay', text: 'Hi, Dave here, I can come at 3' });
      await customer('great, see you then');
      await tradesperson({ kind: 'relay', text: 'Leave the side gate open' });
      await tradesperson({ kind: 'bot' });
      await customer('one more thing, what do I owe?');
      assert.deepEqual(replies(stubs, start), ['reply to: leak under the sink', 'Hi, Dave here, I can come at 3', 'Leave the side gate open', 'reply to: one more thing, what do I owe?']);
      assert.deepEqual(toTradesperson(stubs).map((t) => t.body), [
        takenOver('J7', start.customerPhone),
        `J7 ${start.customerPhone}: "great, see you then"`,
        handedBack('J7', start.customerPhone),
      ]);
      assert.equal(stubs.of('qualifyTurn').length, 2, 'no AI turn while taken over');
      const progress = await handle.query(conversationProgressQuery);
      assert.deepEqual(progress.transcript.filter((l) => l.direction === 'OUTBOUND').map((l) => l.body).slice(1, 3), ['Hi, Dave here, I can come at 3', 'Leave the side gate open'], 'the AI sees what was said');
    });
  });

  test('a day without a text from the tradesperson gives the conversation back to JobRun', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      const sig = await fromThem({ kind: 'relay', text: 'On my way' });
      await starts.tradespersonToConversation(start, sig);
      await untilHandled(handle, conversationProgressQuery, sig.messageSid);
      const early = inbound('how long will you be?', await rig.env.currentTimeMs());
      await starts.toConversation(start, early);
      await untilHandled(handle, conversationProgressQuery, early.messageSid);
      await rig.env.sleep(25 * HOUR);
      const late = inbound('are you still coming?', await rig.env.currentTimeMs());
      await starts.toConversation(start, late);
      await untilHandled(rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId)), conversationProgressQuery, late.messageSid);
      assert.deepEqual(replies(stubs, start), ['On my way', 'reply to: are you still coming?']);
      assert.deepEqual(toTradesperson(stubs).map((t) => t.body).slice(1), [`J7 ${start.customerPhone}: "how long will you be?"`]);
    });
  });
});

describe('failures and caps', () => {
  test('OpenAI failing for good: the rules engine answers, the operator hears of it, and usage counts a fallback', async () => {
    const stubs = new StubbedActivities({
      qualifyTurn: async () => {
        throw ApplicationFailure.nonRetryable('Incorrect API key provided', FailureType.AiPermanent);
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('radiator cold', await rig.env.currentTimeMs());
      await untilHandled(rig.env.client.workflow.getHandle(await starts.toConversation(start, msg)), conversationProgressQuery, msg.messageSid);
      assert.deepEqual(replies(stubs, start), ['rules reply to: radiator cold']);
      const [alert] = stubs.alerts('AI_DEGRADED');
      assert.match(alert!.detail, /AiPermanentError: Incorrect API key provided/);
      assert.equal(alert!.sourceKey, `${conversationWorkflowId(start.clientId, start.customerId)}:ai-alert:${msg.messageSid}`);
      assert.deepEqual(stubs.of('recordAiUsage'), [{ clientId: CLIENT.id, engine: 'rules', tokens: 0, fallback: true }]);
    });
  });

  test(`past ${LIMITS.aiTurnsPerHour} AI turns and ${LIMITS.textsPerHour} texts an hour: the rules engine answers, then replies are held and the operator told; an hour later both reopen`, async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      const now = await rig.env.currentTimeMs();
      const burst = Array.from({ length: LIMITS.textsPerHour + 1 }, (_, i) => inbound(`text ${i + 1}`, now, { ageMs: 60_000 - i }));
      for (const msg of burst) await starts.toConversation(start, msg);
      await untilHandled(handle, conversationProgressQuery, burst.at(-1)!.messageSid);
      assert.equal(stubs.of('qualifyTurn').length, LIMITS.aiTurnsPerHour);
      assert.equal(stubs.of('qualifyWithRules').length, burst.length - LIMITS.aiTurnsPerHour);
      assert.equal(stubs.alerts('AI_DEGRADED').length, 0, 'a cap is not a failure');
      assert.equal(replies(stubs, start).length, LIMITS.textsPerHour);
      const capped = stubs.alerts('LIMIT_REACHED');
      assert.equal(capped.length, 1);
      assert.equal(capped[0]!.subject, start.conversationId);
      assert.match(capped[0]!.detail, /cap of 30 texts an hour/);

      await rig.env.sleep(HOUR + 60_000);
      const later = inbound('are you there?', await rig.env.currentTimeMs());
      await starts.toConversation(start, later);
      await untilHandled(handle, conversationProgressQuery, later.messageSid);
      assert.equal(stubs.of('qualifyTurn').length, LIMITS.aiTurnsPerHour + 1, 'the AI answers again');
      assert.equal(replies(stubs, start).at(-1), 'reply to: are you there?');
    });
  });

  test(`past ${LIMITS.turns} turns the conversation is handed to the tradesperson once, who is told so; later routine texts get nothing`, async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    const carried: ConversationState = { transcript: [], pending: [], seenSids: [], job: null, escalatedUrgency: null, summarySent: false, turns: LIMITS.turns };
    await rig.withStubs(stubs, async ({ client, taskQueue }) => {
      const workflowId = conversationWorkflowId(start.clientId, start.customerId);
      const handle = await client.workflow.start(conversation, { workflowId, taskQueue, args: [{ ...start, settleMs: 0, carried }] });
      const msg = inbound('one more thing', await rig.env.currentTimeMs());
      await handle.signal(inboundSignal, msg);
      await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      const again = inbound('hello?', await rig.env.currentTimeMs());
      await handle.signal(inboundSignal, again);
      const progress = await untilHandled(handle, conversationProgressQuery, again.messageSid);
      assert.deepEqual(replies(stubs, start), ["Thanks. I've passed our conversation to Ace Plumbing and they'll pick it up from here."]);
      assert.equal(stubs.of('qualifyTurn').length, 0);
      assert.equal(stubs.alerts('LIMIT_REACHED').length, 1);
      assert.equal(progress.handedOver, true);
      assert.deepEqual(toTradesperson(stubs).map((t) => [t.purpose, t.body]), [['summary', handoverNotice(start.customerPhone, LIMITS.turns, 'J7')]]);
    });
  });

  test('past the cap an emergency is still recognised: the tradesperson is alerted, the customer gets the safety advice', async () => {
    const stubs = new StubbedActivities({
      qualifyWithRules: async (input) =>
        /gas/.test(lastText(input))
          ? { result: routineTurn('Leave the property now and call the National Gas Emergency Service on 0800 111 999.', { urgency: 'EMERGENCY', urgencyReason: 'gas smell' }), engine: 'rules', tokens: 0 }
          : { result: routineTurn('ok'), engine: 'rules', tokens: 0 },
    });
    const start = conversationOf();
    const carried: ConversationState = { transcript: [], pending: [], seenSids: [], job: null, escalatedUrgency: null, summarySent: false, turns: LIMITS.turns, handedOver: true };
    await rig.withStubs(stubs, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(conversation, { workflowId: conversationWorkflowId(start.clientId, start.customerId), taskQueue, args: [{ ...start, settleMs: 0, carried }] });
      const msg = inbound('I can smell gas in the hall now', await rig.env.currentTimeMs());
      await handle.signal(inboundSignal, msg);
      await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      assert.deepEqual(replies(stubs, start), ['Leave the property now and call the National Gas Emergency Service on 0800 111 999.']);
      const [alert] = toTradesperson(stubs);
      assert.equal(alert!.purpose, 'escalation');
      assert.match(alert!.body, /^JobRun EMERGENCY J7 for Ace Plumbing: gas smell\./);
      assert.equal(stubs.of('qualifyTurn').length, 0, 'no AI conversation past the cap');
    });
  });

  test('a turn that fails for good: the customer gets a holding reply if they had none, the operator is told, and the next text is answered', async () => {
    let turns = 0;
    const stubs = new StubbedActivities({
      qualifyTurn: async () => {
        throw ApplicationFailure.nonRetryable('Incorrect API key provided', FailureType.AiPermanent);
      },
      qualifyWithRules: async (input) => {
        if (turns++ === 0) throw ApplicationFailure.nonRetryable('rules engine broke', 'BugError');
        return { result: routineTurn(`rules reply to: ${lastText(input)}`), engine: 'rules', tokens: 0 };
      },
      saveJob: async () => {
        if (turns === 2) throw ApplicationFailure.nonRetryable('check constraint "Job_ok" is violated', 'DatabaseDataError');
        return 'job-1';
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      for (const body of ['my boiler is broken', 'it is a Baxi', 'SE1 7PB']) {
        const msg = inbound(body, await rig.env.currentTimeMs());
        await starts.toConversation(start, msg);
        await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      }
      assert.deepEqual(replies(stubs, start), [holdingReply('Ace Plumbing'), 'rules reply to: it is a Baxi', 'rules reply to: SE1 7PB']);
      const failed = stubs.alerts('WORKFLOW_FAILED');
      assert.equal(failed.length, 2, 'one alert for each failed turn');
      assert.match(failed[0]!.detail, /BugError: rules engine broke\); the customer got a holding reply and the conversation goes on/);
      assert.match(failed[1]!.detail, /DatabaseDataError: check constraint .* the customer had their reply and the conversation goes on/);
      assert.equal((await handle.describe()).status.name, 'RUNNING');
    });
  });

  test('a reply that cannot be sent alerts the operator, and the next text is still answered', async () => {
    let sends = 0;
    const stubs = new StubbedActivities({
      sendSms: async () => {
        if (sends++ === 0) throw ApplicationFailure.nonRetryable('The number is not a valid phone number (21211)', FailureType.TwilioPermanent);
        return { sid: 'SMok', status: 'SENT', reconciled: false };
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const handle = rig.env.client.workflow.getHandle(conversationWorkflowId(start.clientId, start.customerId));
      const first = inbound('tap broken', await rig.env.currentTimeMs());
      await starts.toConversation(start, first);
      const progress = await untilHandled(handle, conversationProgressQuery, first.messageSid);
      assert.deepEqual(progress.transcript.map((l) => l.direction), ['INBOUND'], 'an unsent reply is not in the transcript');
      const [alert] = stubs.alerts('SMS_SEND_FAILED');
      assert.equal(alert!.subject, CLIENT.id);
      assert.match(alert!.detail, /The reply for a customer of Ace Plumbing failed \(TwilioPermanentError: .*21211/);
      const second = inbound('still broken', await rig.env.currentTimeMs());
      await starts.toConversation(start, second);
      await untilHandled(handle, conversationProgressQuery, second.messageSid);
      assert.equal(stubs.of('sendSms').length, 2);
    });
  });

  test('usage accounting failing does not keep the customer from their reply', async () => {
    const stubs = new StubbedActivities({
      recordAiUsage: async () => {
        throw ApplicationFailure.nonRetryable('AiUsage table is gone', 'DatabaseError');
      },
    });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('leaking radiator valve', await rig.env.currentTimeMs());
      await untilHandled(rig.env.client.workflow.getHandle(await starts.toConversation(start, msg)), conversationProgressQuery, msg.messageSid);
      assert.deepEqual(replies(stubs, start), ['reply to: leaking radiator valve']);
      assert.equal(stubs.of('saveJob').length, 1);
    });
  });
});

describe('a client paused meanwhile', () => {
  test('a text already waiting gets the SystemGate reply, not the AI', async () => {
    const paused = { ...CLIENT, outboundPaused: true, ownerPhone: '+447700900155' };
    const stubs = new StubbedActivities({ loadClient: async () => paused });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('my boiler is broken', await rig.env.currentTimeMs());
      await untilHandled(rig.env.client.workflow.getHandle(await starts.toConversation(start, msg)), conversationProgressQuery, msg.messageSid);
      assert.deepEqual(replies(stubs, start), [systemGateReply('+447700900155')]);
      assert.equal(stubs.of('qualifyTurn').length + stubs.of('qualifyWithRules').length, 0);
    });
  });

  test('gets no nudge sent in its name', async () => {
    let paused = false;
    const stubs = new StubbedActivities({ loadClient: async () => ({ ...CLIENT, outboundPaused: paused }) });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const msg = inbound('I would like a quote for a new bathroom', await rig.env.currentTimeMs());
      const handle = rig.env.client.workflow.getHandle(await starts.toConversation(start, msg));
      await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      paused = true;
      await handle.result();
      assert.deepEqual(stubs.textsTo(start.customerPhone).map((t) => t.purpose), ['reply'], 'the reply, and no nudge');
    });
  });
});

describe('silence', () => {
  test('a customer who goes quiet mid-qualification gets exactly one nudge, 2 h on (held to 08:00 UK in quiet hours); a day later it closes', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const t0 = await rig.env.currentTimeMs();
      const msg = inbound('I would like a quote for a new bathroom suite', t0);
      const handle = rig.env.client.workflow.getHandle(await starts.toConversation(start, msg));
      await handle.result();
      const texts = stubs.callsOf('sendSms').filter((c) => c.input.to === start.customerPhone);
      assert.deepEqual(texts.map((c) => c.input.purpose), ['reply', 'nudge']);
      const nudge = texts[1]!;
      assert.match(nudge.input.body, /^Hi, it's Ace Plumbing's assistant again\. Do you still need a hand\?/);
      assert.equal(nudge.input.idempotencyKey, `${handle.workflowId}:nudge:${msg.messageSid}`);
      const due = t0 + 2 * HOUR + msUntilDaytime(t0 + 2 * HOUR);
      assert.ok(Math.abs(nudge.at - due) < 60_000, `nudged at ${new Date(nudge.at).toISOString()}, due ${new Date(due).toISOString()}`);
      const closedAt = (await handle.describe()).closeTime!.getTime();
      assert.ok(Math.abs(closedAt - nudge.at - 24 * HOUR) < 60_000, 'closed a day after the nudge');
    });
  });

  test('a finished job gets no nudge; the conversation closes after a day of silence', async () => {
    const stubs = new StubbedActivities({ qualifyTurn: async () => ({ result: routineTurn('All noted, thanks!', { complete: true }), engine: 'openai', tokens: 1 }) });
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      const t0 = await rig.env.currentTimeMs();
      const handle = rig.env.client.workflow.getHandle(await starts.toConversation(start, inbound('Sam, SE1 7PB, new tap Friday', t0)));
      await handle.result();
      assert.deepEqual(stubs.textsTo(start.customerPhone).map((t) => t.purpose), ['reply']);
      const closedAt = (await handle.describe()).closeTime!.getTime();
      assert.ok(Math.abs(closedAt - t0 - 24 * HOUR) < 60_000);
    });
  });

  test('a text during the quiet-hours hold is answered, and no nudge follows it', async () => {
    const stubs = new StubbedActivities();
    const start = conversationOf();
    await rig.withStubs(stubs, async ({ starts }) => {
      await rig.env.sleep(msUntilLondonHour(await rig.env.currentTimeMs(), 20));
      const evening = inbound('my boiler is noisy', await rig.env.currentTimeMs());
      const handle = rig.env.client.workflow.getHandle(await starts.toConversation(start, evening));
      await untilHandled(handle, conversationProgressQuery, evening.messageSid);
      await rig.env.sleep(5 * HOUR); // 01:00: the nudge fell due at 22:00 and is held until 08:00
      const night = inbound('it is a Vaillant', await rig.env.currentTimeMs());
      await starts.toConversation(start, night);
      await untilHandled(handle, conversationProgressQuery, night.messageSid);
      await handle.result();
      assert.deepEqual(stubs.textsTo(start.customerPhone).map((t) => t.purpose), ['reply', 'reply']);
    });
  });
});

describe('runs carried over', () => {
  test('state carried from a run of an older release (no cap fields) goes on: seen texts ignored, urgency not re-escalated, turns counted afresh', async () => {
    const stubs = new StubbedActivities({ qualifyTurn: async () => ({ result: routineTurn('On it.', { urgency: 'URGENT' }), engine: 'openai', tokens: 1 }) });
    const start = conversationOf();
    const carried: ConversationState = {
      transcript: [
        { direction: 'INBOUND', body: 'no hot water' },
        { direction: 'OUTBOUND', body: 'Sorry to hear that. What is your postcode?' },
      ],
      pending: [],
      seenSids: ['SMseenbefore000000000000000000'],
      job: null,
      escalatedUrgency: 'URGENT',
      summarySent: false,
    };
    await rig.withStubs(stubs, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(conversation, {
        workflowId: conversationWorkflowId(start.clientId, start.customerId),
        taskQueue,
        args: [{ ...start, settleMs: 0, carried }],
      });
      await handle.signal(inboundSignal, inbound('no hot water', await rig.env.currentTimeMs(), { messageSid: 'SMseenbefore000000000000000000' }));
      const msg = inbound('SE1 7PB', await rig.env.currentTimeMs());
      await handle.signal(inboundSignal, msg);
      const progress = await untilHandled(handle, conversationProgressQuery, msg.messageSid);
      assert.deepEqual(stubs.of('qualifyTurn').map((q) => q.transcript.map((l) => l.body)), [['no hot water', 'Sorry to hear that. What is your postcode?', 'SE1 7PB']]);
      assert.equal(toTradesperson(stubs).length, 0, 'already told at URGENT');
      assert.equal(progress.turns, 1);
      assert.equal(progress.client?.id, CLIENT.id);
    });
  });
});

/** From `now` to the next time the clock in London reads `hour`:00. */
function msUntilLondonHour(now: number, hour: number): number {
  const london = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
  for (let t = Math.ceil(now / 60_000) * 60_000; ; t += 60_000) {
    const parts = london.formatToParts(new Date(t));
    if (Number(parts.find((p) => p.type === 'hour')!.value) === hour && Number(parts.find((p) => p.type === 'minute')!.value) === 0) return t - now;
  }
}
