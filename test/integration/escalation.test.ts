// Escalations that must be taken, end to end: the real processes, a short
// window, and Twilio faked at its wire, which logs the calls JobRun places;
// the call's TwiML routes driven as Twilio drives them (signed requests).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { ensureTemporalBinary } from '../../src/local/temporal';
import { escalationProgressQuery } from '../../workflows/escalation';
import type { escalation } from '../../workflows';
import { jobTaken, stillTrying } from '../../workflows/escalation-text';
import { escalationWorkflowId } from '../../workflows/shared/ids';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { FOUNDER_PHONE, TestSystem, createClientFixture, resetDatabase, sid, testEnv, type ClientFixture } from '../support/system';

const WINDOW_MS = 2000;

describe('escalations that must be taken', () => {
  const system = new TestSystem('escalation');
  before(async () => {
    await system.start({ env: { ESCALATION_ACK_EMERGENCY: `${WINDOW_MS / 1000}s`, ESCALATION_ACK_URGENT: '1h' } });
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  const text = async (client: ClientFixture, from: string, body: string) => {
    const params = { MessageSid: sid(), From: from, To: client.number, Body: body };
    assert.equal((await system.post('/sms', params)).status, 200);
    return params;
  };
  /** The path of a URL JobRun gave Twilio, to post to as Twilio would. */
  const route = (url: string) => url.slice(system.baseUrl.length);
  const callTo = (phone: string) => eventually(`a call to ${phone}`, async () => system.twilio.placed.find((c) => c.to === phone));
  /** Until a row is there (eventually takes null for a value). */
  const row = <T>(what: string, find: () => Promise<T | null>) => eventually(what, async () => (await find()) ?? undefined);
  /** The client's job's chain, once it is running. */
  const chainOf = async (client: ClientFixture) => {
    const job = await row('the job', () => system.db.job.findFirst({ where: { clientId: client.clientId } }));
    const workflowId = escalationWorkflowId(job.id);
    await eventually('the chain started', () => system.started(workflowId));
    return system.temporal.workflow.getHandle<typeof escalation>(workflowId);
  };

  test('an emergency nobody takes rings the tradesperson from the JobRun number when the window passes; pressing 1 takes it and dials the customer', async (t) => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const customer = uniqueMobile();
    const sent = Date.now();
    await text(client, customer, 'I can smell gas in the kitchen');
    const alert = await eventually('the tradesperson alerted', async () => system.twilio.to(client.ownerPhone)[0]);
    assert.match(alert.body, /^JobRun EMERGENCY J1 for Ace Plumbing: gas smell\. Customer unknown name on \+44\d+ \(postcode not given yet\)\..* Reply J1 \(or 1\) to take it\.$/);
    assert.ok(alert.body.includes(customer));

    const call = await callTo(client.ownerPhone);
    assert.equal(call.from, client.number, 'rung from the JobRun number');
    assert.match(call.url, new RegExp(`^${system.baseUrl}/voice/escalation/c[a-z0-9]+$`), 'no phone number in the URL');
    assert.equal(call.statusCallback, `${call.url}/status`);
    assert.equal(call.timeout, 30);
    const windowEnd = alert.dateCreated.getTime() + WINDOW_MS;
    t.diagnostic(`emergency text to tradesperson alert: ${alert.dateCreated.getTime() - sent} ms; end of window to call placed: ${call.startTime.getTime() - windowEnd} ms`);
    assert.ok(call.startTime.getTime() >= windowEnd - 50, 'not before the window passed');

    const answered = { CallSid: call.sid, From: call.from, To: call.to, CallStatus: 'in-progress', Direction: 'outbound-api' };
    assert.equal((await system.post(route(call.url), answered, 'forged')).status, 403, 'signature-checked like every webhook');
    const speech = await (await system.post(route(call.url), answered)).text();
    assert.match(speech, /<Gather numDigits="1" timeout="8" action="[^"]+\/press" method="POST">/);
    assert.match(speech, /emergency job for Ace Plumbing, job J 1, not yet taken\. Heating\. I can smell gas in the kitchen\. Press 1 to take the job and be put through to the customer\./);

    const press = await (await system.post(route(`${call.url}/press`), { ...answered, Digits: '1' })).text();
    assert.match(press, new RegExp(`<Dial callerId="\\${client.number}" answerOnBridge="true"><Number>\\${customer}</Number></Dial>`));
    const job = await system.db.job.findFirstOrThrow({ where: { clientId: client.clientId } });
    assert.equal(job.progress, 'TAKEN');
    assert.equal(job.takenBy, client.ownerPhone);
    const chain = await chainOf(client);
    assert.equal(await chain.result(), 'taken');
    // Twilio's retry of the press finds the take its own and puts them through again.
    assert.match(await (await system.post(route(`${call.url}/press`), { ...answered, Digits: '1' })).text(), /<Dial/);
    assert.equal((await system.post(route(`${call.url}/status`), { ...answered, CallStatus: 'completed', CallDuration: '95' })).status, 200);
    assert.equal((await system.db.outboundCall.findFirstOrThrow({ where: { twilioSid: call.sid } })).callStatus, 'completed');
    assert.equal(system.twilio.placed.filter((c) => c.to === client.ownerPhone).length, 1, 'one call');
    assert.equal(system.twilio.to(customer).filter((m) => m.body === jobTaken('Ace Plumbing')).length, 0, 'taken on the call: the customer is being rung');
  });

  test('taken by text inside the window: no call, and the customer hears the tradesperson has it', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const customer = uniqueMobile();
    await text(client, customer, 'my boiler has stopped working and I have no heating or hot water');
    const alert = await eventually('the tradesperson alerted', async () => system.twilio.to(client.ownerPhone)[0]);
    assert.match(alert.body, /^JobRun URGENT J1 .* Reply J1 \(or 1\) to take it\.$/);
    const chain = await chainOf(client);
    const take = { MessageSid: sid(), From: client.ownerPhone, To: client.number, Body: 'J1' };
    assert.equal((await system.post('/sms', take)).status, 200);
    assert.equal(await chain.result(), 'taken');
    await eventually('the customer told', async () => system.twilio.to(customer).find((m) => m.body === jobTaken('Ace Plumbing')));
    assert.equal(system.twilio.placed.filter((c) => c.to === client.ownerPhone).length, 0);
    assert.deepEqual(system.twilio.to(client.ownerPhone).map((m) => m.body).slice(1), [`J1 is yours. The customer is on ${customer}.`]);
  });

  test('the call goes unanswered: the backup phone gets the same text and a call, then the operator and the customer are told', async () => {
    const backup = uniqueMobile();
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile(), backupPhone: backup });
    const customer = uniqueMobile();
    await text(client, customer, 'I can smell gas in the kitchen');
    const alert = await eventually('the tradesperson alerted', async () => system.twilio.to(client.ownerPhone)[0]);
    const first = await callTo(client.ownerPhone);
    const status = (call: typeof first, CallStatus: string) => system.post(route(call.statusCallback!), { CallSid: call.sid, From: call.from, To: call.to, CallStatus, CallDuration: '0' });
    assert.equal((await status(first, 'no-answer')).status, 200);

    const second = await callTo(backup);
    assert.equal(second.from, client.number);
    assert.deepEqual(system.twilio.to(backup).map((m) => m.body), [alert.body], 'the same text as the tradesperson');
    assert.equal((await status(second, 'busy')).status, 200);

    const chain = await chainOf(client);
    await row('the operator told', () => system.db.operatorAlert.findFirst({ where: { kind: 'ESCALATION_UNACKNOWLEDGED', subject: `${client.clientId}:J1` } }));
    await eventually('the founder texted', async () => system.twilio.to(FOUNDER_PHONE).find((m) => m.body.includes('ESCALATION_UNACKNOWLEDGED')));
    const update = await eventually('the customer told', async () => system.twilio.to(customer).find((m) => m.body.startsWith("We haven't been able to reach")));
    assert.match(update.body, /0800 111 999/, 'the gas advice, again');
    assert.ok(update.body.startsWith(stillTrying('Ace Plumbing', null).replace(/ If anyone.*$/, '')));
    assert.equal((await chain.describe()).status.name, 'RUNNING', 'a later take still reaches the customer');
    const rows = await system.db.outboundCall.findMany({ where: { job: { clientId: client.clientId } }, orderBy: { createdAt: 'asc' } });
    assert.deepEqual(rows.map((r) => [r.toNumber, r.status, r.callStatus]), [
      [client.ownerPhone, 'PLACED', 'no-answer'],
      [backup, 'PLACED', 'busy'],
    ]);

    await eventually('the first run waiting for a late take', async () => (await chain.query(escalationProgressQuery)).stage === 'waiting-late');
    // Reset to its start, the chain runs every step again and Twilio is asked for nothing twice.
    const texts = system.twilio.messages.length;
    const firstRun = (await chain.describe()).runId;
    const cli = await ensureTemporalBinary('temporal');
    await promisify(execFile)(cli, ['workflow', 'reset', '--workflow-id', chain.workflowId, '--type', 'FirstWorkflowTask', '--reason', 'suite: reset is safe', '--address', testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS')]);
    const again = system.temporal.workflow.getHandle<typeof escalation>(chain.workflowId);
    await eventually('the new run past its calls', async () => (await again.describe()).runId !== firstRun && (await again.query(escalationProgressQuery)).stage === 'waiting-late', 60_000);
    assert.equal(system.twilio.placed.filter((c) => c.to === client.ownerPhone || c.to === backup).length, 2, 'no call placed again');
    assert.equal(system.twilio.messages.length, texts, 'no text sent again');

    // Taken at last, from the backup phone: the chain stops and the customer hears.
    assert.equal((await system.post('/sms', { MessageSid: sid(), From: backup, To: client.number, Body: '1' })).status, 200);
    assert.equal(await chain.result(), 'taken');
    await eventually('the customer told it is taken', async () => system.twilio.to(customer).find((m) => m.body === jobTaken('Ace Plumbing')));
  });

  test('a call Twilio refuses is the operator to hear of, and the chain still reaches its end', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    system.twilio.callFaults.push({ status: 400, code: 21215, to: client.ownerPhone });
    await text(client, uniqueMobile(), 'I can smell gas in the kitchen');
    await row('CALL_FAILED', () => system.db.operatorAlert.findFirst({ where: { kind: 'CALL_FAILED', subject: `${client.clientId}:J1` } }));
    await row('ESCALATION_UNACKNOWLEDGED', () => system.db.operatorAlert.findFirst({ where: { kind: 'ESCALATION_UNACKNOWLEDGED', subject: `${client.clientId}:J1` } }));
    const [refused] = await system.db.outboundCall.findMany({ where: { job: { clientId: client.clientId } } });
    assert.deepEqual([refused!.status, refused!.errorCode], ['FAILED', '21215']);
  });

  test('a call whose answer was lost is found in Twilio\'s call list on the retry, not placed twice', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    system.twilio.callFaults.push({ status: 500, code: 20500, afterStore: true, to: client.ownerPhone });
    await text(client, uniqueMobile(), 'I can smell gas in the kitchen');
    const placed = await callTo(client.ownerPhone);
    const ledger = await row('the call recorded as placed', async () => system.db.outboundCall.findFirst({ where: { toNumber: client.ownerPhone, status: 'PLACED' } }));
    assert.equal(ledger.twilioSid, placed.sid, 'the call Twilio already had');
    assert.ok(ledger.attempts >= 1);
    assert.equal(system.twilio.placed.filter((c) => c.to === client.ownerPhone).length, 1);
  });

  test("a call from one of JobRun's own numbers (an escalation call diverted back) is neither forwarded nor texted back", async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const callSid = sid('CA');
    const voice = await (await system.post('/voice', { CallSid: callSid, From: client.number, To: client.number })).text();
    assert.doesNotMatch(voice, /<Dial/);
    assert.match(voice, /<Hangup\/>/);
    assert.equal((await system.post('/api/twilio/status', { CallSid: callSid, From: client.number, To: client.number, CallStatus: 'no-answer', CallDuration: '0' })).status, 200);
    assert.equal(await system.started(callSid), false, 'no text-back started');
  });

  test('"1" takes the newest escalated job not yet taken, not a routine one that came in after it', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const urgent = uniqueMobile();
    await system.finished(await text(client, urgent, 'my boiler has stopped working and I have no heating or hot water'));
    await system.finished(await text(client, uniqueMobile(), 'could I get a quote for a new bathroom suite'));
    const take = { MessageSid: sid(), From: client.ownerPhone, To: client.number, Body: '1' };
    assert.equal((await system.post('/sms', take)).status, 200);
    await system.finished(take);
    assert.ok(system.twilio.to(client.ownerPhone).some((m) => m.body === `J1 is yours. The customer is on ${urgent}.`));
    const jobs = await system.db.job.findMany({ where: { clientId: client.clientId }, orderBy: { number: 'asc' } });
    assert.deepEqual(jobs.map((j) => [j.number, j.progress]), [[1, 'TAKEN'], [2, 'NEW']]);
  });
});

