// The AI conversation end to end with OpenAI faked at its wire: ordering
// under a burst, structured output, refusals and failures falling back to
// the rules engine, the safety floor, opt-out, and usage accounting.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { lastUserMessage } from '../support/fake-openai';
import { uniqueMobile } from '../support/phones';
import { routineTurn } from '../support/stub-activities';
import { eventually, sleep } from '../support/poll';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, sid, type ClientFixture } from '../support/system';

const customerPhone = uniqueMobile;

const turn = routineTurn;


describe('conversation with OpenAI', () => {
  const system = new TestSystem('conversation');
  let client: ClientFixture;

  before(async () => {
    await system.start({ openai: true });
    await resetDatabase(system.db);
  });
  after(() => system.stop());
  beforeEach(async () => {
    client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    system.openai.fallback = (req) => ({ turn: turn(`AI reply to: ${lastUserMessage(req)}`) });
  });

  /** Texts JobRun from `from`; returns the webhook's parameters. */
  const text = async (from: string, body: string) => {
    const params = { MessageSid: sid(), From: from, To: client.number, Body: body };
    assert.equal((await system.post('/sms', params)).status, 200);
    return params;
  };
  const repliesTo = (phone: string) => system.twilio.to(phone).map((m) => m.body);

  test('a burst of three texts is answered three times, one turn at a time, in order', async () => {
    const from = customerPhone();
    const bodies = ['first: my tap drips', 'second: it is the kitchen one', 'third: SE1 7PB'];
    for (const body of bodies) {
      await text(from, body);
      await sleep(30); // a burst as a phone sends it: texts a few milliseconds apart
    }
    await eventually('three replies', async () => (repliesTo(from).length === 3 ? true : undefined));
    assert.deepEqual(repliesTo(from), bodies.map((b) => `AI reply to: ${b}`));
    const requests = system.openai.requests.filter((r) => r.messages.some((m) => m.content === bodies[0]));
    assert.equal(requests.length, 3);
    // Each turn saw the earlier turns, replies included: they really were serialized.
    assert.deepEqual(requests[2]!.messages.filter((m) => m.role !== 'system').map((m) => m.content), [
      bodies[0], `AI reply to: ${bodies[0]}`, bodies[1], `AI reply to: ${bodies[1]}`, bodies[2],
    ]);
    assert.equal(requests[0]!.response_format?.type, 'json_schema', 'structured outputs');
    // The model is told the ways of writing the rules engine is evaluated on.
    const prompt = requests[0]!.messages.find((m) => m.role === 'system')?.content ?? '';
    for (const instruction of [/dialect/i, /text-speak/i, /slang alone is never a hazard/i, /negation reaches only its own clause/i, /enquiry from a report/i]) {
      assert.match(prompt, instruction);
    }
  });

  test('the structured output becomes the reply and the saved job; tokens are recorded per client', async () => {
    const from = customerPhone();
    system.openai.enqueue({
      turn: turn('Thanks Sam, someone will be in touch about the leak at SW1A 1AA.', {
        urgency: 'URGENT',
        urgencyReason: 'active leak',
        job: { tradeCategory: 'plumbing', description: 'leak under the sink', postcode: 'SW1A 1AA', address: null, customerName: 'Sam', preferredTime: 'today', accessNotes: null },
        complete: true,
      }),
    });
    assert.equal(await system.finished(await text(from, "Hi it's Sam, leak under my sink, SW1A 1AA, today please")), 'forwarded');
    assert.equal(repliesTo(from)[0], 'Thanks Sam, someone will be in touch about the leak at SW1A 1AA.');
    // The turn is over, so the job is as the turn saved it (the alert opened it a moment before).
    const job = await system.db.job.findFirstOrThrow({ where: { clientId: client.clientId } });
    assert.equal(job.urgency, 'URGENT');
    assert.deepEqual((job.details as { postcode: string }).postcode, 'SW1A 1AA');
    const escalation = await eventually('tradesperson told', async () => system.twilio.to(client.ownerPhone)[0]);
    // The client's first job is J1, and the alert names it and the customer's number.
    assert.match(escalation.body, /^JobRun URGENT J1 for /);
    assert.ok(escalation.body.includes(from), escalation.body);
    assert.equal(job.number, 1);
    const usage = await eventually('usage', async () => (await system.db.aiUsage.findFirst({ where: { clientId: client.clientId } })) ?? undefined);
    assert.equal(usage.tokens, 140);
    assert.equal(usage.turns, 1);
  });

  test('a refusal or a rejected key falls back to the rules engine at once, and the operator hears of it', async () => {
    const from = customerPhone();
    system.openai.enqueue({ refusal: 'I cannot help with that' });
    await text(from, 'My boiler has stopped working');
    const reply = await eventually('rules reply', async () => system.twilio.to(from)[0]);
    assert.match(reply.body, /automated assistant/);
    await eventually('operator alerted', async () => system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('AI_DEGRADED')));

    const other = customerPhone();
    const before = system.openai.requests.length;
    system.openai.enqueue({ status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } });
    await text(other, 'Need a plumber for a dripping tap');
    await eventually('rules reply', async () => system.twilio.to(other)[0]);
    assert.equal(system.openai.requests.length - before, 1, 'a rejected key is not retried');
    const usage = await eventually('fallback counted', async () => (await system.db.aiUsage.findFirst({ where: { clientId: client.clientId } })) ?? undefined);
    assert.equal(usage.fallbacks, 2);
  });

  test('OpenAI failing three times then recovering: Temporal retries into the AI reply', async () => {
    const from = customerPhone();
    system.openai.enqueue({ status: 500 }, { status: 503 }, { status: 429 });
    assert.equal(await system.finished(await text(from, 'radiator cold upstairs')), 'forwarded');
    assert.deepEqual(repliesTo(from), ['AI reply to: radiator cold upstairs'], 'one reply, after the retries');
  });

  test('a gas smell is an emergency with safety advice even when the model says routine', async () => {
    const from = customerPhone();
    system.openai.enqueue({ turn: turn('Thanks, what is your postcode?') });
    await text(from, 'I can smell gas in the hallway');
    const reply = await eventually('reply', async () => system.twilio.to(from)[0]);
    assert.match(reply.body, /0800 111 999/);
    const alert = await eventually('tradesperson alerted', async () => system.twilio.to(client.ownerPhone)[0]);
    assert.match(alert.body, /EMERGENCY/);
  });

  test('the floor rises only on a present hazard: slang and denials leave the model\'s routine reply alone', async () => {
    const from = customerPhone();
    system.openai.enqueue({ turn: turn('Happy to quote for that. What is the postcode?') });
    await text(from, 'need a sparky to quote for an ev charger, the leccy is fine, no burning smell or owt');
    const reply = await eventually('reply', async () => system.twilio.to(from)[0]);
    assert.equal(reply.body, 'Happy to quote for that. What is the postcode?');
  });

  test('STOP silences the customer until START; nothing is sent in between', async () => {
    const from = customerPhone();
    await text(from, 'Hello, need a plumber');
    await eventually('first reply', async () => system.twilio.to(from)[0]);
    await text(from, 'STOP');
    const customer = await eventually('opted out', async () => {
      const c = await system.db.customer.findFirst({ where: { clientId: client.clientId, phone: from } });
      return c?.optedOutAt ? c : undefined;
    });
    assert.ok(customer.optedOutAt);
    assert.equal(await system.finished(await text(from, 'actually one more thing')), 'opted-out');
    assert.equal(system.twilio.to(from).length, 1, 'no reply while opted out');
    await text(from, 'START');
    await eventually('opted in', async () => ((await system.db.customer.findFirst({ where: { id: customer.id } }))?.optedOutAt === null ? true : undefined));
    await text(from, 'my tap is dripping');
    await eventually('replies again', async () => (system.twilio.to(from).length === 2 ? true : undefined));
  });

  test('a. a turn whose job Postgres refuses to save: the customer has their reply, the operator is told at once, the next text is answered', async () => {
    const from = customerPhone();
    const constraint = `poison_${client.clientId.replace(/\W/g, '')}`;
    await system.db.$executeRawUnsafe(`ALTER TABLE "Job" ADD CONSTRAINT ${constraint} CHECK ("clientId" <> '${client.clientId}') NOT VALID`);
    try {
      assert.equal(await system.finished(await text(from, 'my boiler is broken')), 'forwarded');
      assert.deepEqual(repliesTo(from), ['AI reply to: my boiler is broken']);
      const alert = system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('WORKFLOW_FAILED') && m.body.includes('DatabaseDataError'));
      assert.ok(alert, 'the operator is told, without waiting out retries');
      assert.equal(await system.finished(await text(from, 'it is a Baxi combi')), 'forwarded');
      assert.deepEqual(repliesTo(from), ['AI reply to: my boiler is broken', 'AI reply to: it is a Baxi combi']);
    } finally {
      await system.db.$executeRawUnsafe(`ALTER TABLE "Job" DROP CONSTRAINT ${constraint}`);
    }
  });

  test('Twilio 21610 on a reply records the opt-out', async () => {
    const from = customerPhone();
    system.twilio.failSends(1, { status: 400, code: 21610, to: from });
    await text(from, 'Can someone look at my gutters');
    const customer = await eventually('opted out by 21610', async () => {
      const c = await system.db.customer.findFirst({ where: { clientId: client.clientId, phone: from } });
      return c?.optedOutAt ? c : undefined;
    }, 30_000);
    assert.ok(customer.optedOutAt);
  });
});
