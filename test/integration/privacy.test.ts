// A customer forgotten on request, end to end: the real processes, the CLI's
// `customers forget`, and Postgres searched afterwards for anything of theirs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { main as cli } from '../../src/cli/main';
import { retentionScheduleId } from '../../src/temporal/schedules';
import type { retention } from '../../workflows';
import { conversationWorkflowId } from '../../workflows/shared/ids';
import { uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { TestSystem, createClientFixture, resetDatabase, sid, testEnv } from '../support/system';

describe('erasure on request', () => {
  const system = new TestSystem('privacy');
  before(async () => {
    await system.start();
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const env = { DATABASE_URL: testEnv('JOBRUN_TEST_DATABASE_URL'), TEMPORAL_ADDRESS: testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS') };
    const code = await cli(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
    return { code, stdout, stderr };
  };

  /** Every row in the tables that hold texts, numbers and details, as text, that mentions `needle`. */
  const mentions = async (needle: string) => {
    const rows = await system.db.$queryRawUnsafe<Array<{ t: string }>>(
      `SELECT 'Message' AS t FROM "Message" m WHERE m::text LIKE $1
       UNION ALL SELECT 'OutboundMessage' FROM "OutboundMessage" o WHERE o::text LIKE $1
       UNION ALL SELECT 'Customer' FROM "Customer" c WHERE c::text LIKE $1
       UNION ALL SELECT 'Job' FROM "Job" j WHERE j::text LIKE $1
       UNION ALL SELECT 'OutboundCall' FROM "OutboundCall" x WHERE x::text LIKE $1
       UNION ALL SELECT 'Erasure' FROM "Erasure" e WHERE e::text LIKE $1`,
      `%${needle}%`,
    );
    return rows.map((r) => r.t);
  };

  test('jobrun customers forget: their conversation ends without a text, nothing of theirs is left in Postgres, a record says it happened; a later text starts afresh', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const customer = uniqueMobile();
    const first = { MessageSid: sid(), From: customer, To: client.number, Body: 'Sam here, my boiler has stopped and I have no heating, SE1 7PB' };
    assert.equal((await system.post('/sms', first)).status, 200);
    await system.finished(first);
    const before = await system.db.customer.findFirstOrThrow({ where: { phone: customer } });
    const conversation = system.temporal.workflow.getHandle(conversationWorkflowId(client.clientId, before.id));
    assert.equal((await conversation.describe()).status.name, 'RUNNING');
    assert.ok((await mentions(customer)).length > 0);
    const textsBefore = system.twilio.messages.length;

    const forgot = await run('customers', 'forget', customer, '--json');
    assert.equal(forgot.code, 0, forgot.stderr);
    const result = JSON.parse(forgot.stdout) as { clients: number; rows: number; workflowsEnded: number };
    assert.equal(result.clients, 1);
    assert.ok(result.workflowsEnded >= 1, 'the conversation (and the escalation chain, if any) ended');
    assert.equal((await conversation.describe()).status.name, 'TERMINATED');
    assert.equal(system.twilio.messages.length, textsBefore, 'not a word to them, or to anyone, about it');
    assert.deepEqual(await mentions(customer), []);
    assert.deepEqual(await mentions('Sam here'), []);
    assert.deepEqual(await mentions('SE1 7PB'), []);
    const job = await system.db.job.findFirstOrThrow({ where: { clientId: client.clientId } });
    assert.deepEqual([job.number, job.urgency], [1, 'URGENT'], 'the job keeps its reference and urgency for the figures');
    assert.equal(await system.db.erasure.count(), 1);

    // They text again: a new customer, a new conversation, answered.
    const again = { MessageSid: sid(), From: customer, To: client.number, Body: 'hello, is anyone there?' };
    assert.equal((await system.post('/sms', again)).status, 200);
    await system.finished(again);
    const after = await system.db.customer.findFirstOrThrow({ where: { phone: customer } });
    assert.notEqual(after.id, before.id);
    await eventually('answered afresh', async () => system.twilio.to(customer).some((m) => m.body.startsWith("Hi, this is Ace Plumbing's automated assistant")) || undefined);

    const nobody = await run('customers', 'forget', uniqueMobile());
    assert.equal(nobody.code, 0);
    assert.match(nobody.stdout, /no customer with that number: nothing to forget/);
    const noTemporal = await cli(['customers', 'forget', customer], { stdout: { write: () => true }, stderr: { write: () => true }, env: { DATABASE_URL: testEnv('JOBRUN_TEST_DATABASE_URL') } });
    assert.equal(noTemporal, 1, 'without TEMPORAL_ADDRESS nothing is done');
  });

  test('retention: texts and job details older than RETENTION_DAYS are anonymised by the nightly schedule; newer ones and the jobs themselves stay', async () => {
    const client = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const old = { MessageSid: sid(), From: uniqueMobile(), To: client.number, Body: 'old: the gutter over the porch is leaking, N1 9GU' };
    const recent = { MessageSid: sid(), From: uniqueMobile(), To: client.number, Body: 'recent: my tap drips, E2 8AA' };
    for (const text of [old, recent]) {
      assert.equal((await system.post('/sms', text)).status, 200);
      await system.finished(text);
    }
    const longAgo = new Date(Date.now() - 100 * 86_400_000);
    const oldCustomer = await system.db.customer.findFirstOrThrow({ where: { phone: old.From } });
    const oldConversation = await system.db.conversation.findFirstOrThrow({ where: { customerId: oldCustomer.id } });
    await system.db.message.updateMany({ where: { conversationId: oldConversation.id }, data: { createdAt: longAgo } });
    await system.db.outboundMessage.updateMany({ where: { OR: [{ toNumber: old.From }, { body: { contains: old.From } }] }, data: { createdAt: longAgo } });
    await system.db.$executeRaw`UPDATE "Job" SET "updatedAt" = ${longAgo} WHERE "customerId" = ${oldCustomer.id}`;

    const schedule = system.temporal.schedule.getHandle(retentionScheduleId(system.taskQueue));
    const spec = await schedule.describe();
    assert.deepEqual(spec.action.type === 'startWorkflow' ? spec.action.args : null, [{ days: 90 }]);
    const seen = spec.info.recentActions.length;
    await schedule.trigger();
    const runId = await eventually('the retention run', async () => {
      const actions = (await schedule.describe()).info.recentActions;
      return actions.length > seen ? actions.at(-1)!.action.workflow.workflowId : undefined;
    });
    const result = await system.temporal.workflow.getHandle<typeof retention>(runId).result();
    assert.equal(result.complete, true);
    assert.ok(result.rows >= 1);
    assert.deepEqual(await mentions('gutter over the porch'), []);
    assert.ok((await mentions('my tap drips')).length > 0, 'the recent texts stay');
    const job = await system.db.job.findFirstOrThrow({ where: { customerId: oldCustomer.id } });
    assert.deepEqual([job.number, job.details], [1, {}], 'the job keeps its reference, not its details');
  });
});

