// Customers' data never rests in Temporal in clear: the real processes, the
// histories read straight from the server (as anyone with Web UI or CLI access
// reads them), the codec server they can be decrypted through by an operator
// who may, the real temporal CLI, and a key rotation mid-conversation.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { temporal as proto } from '@temporalio/proto';
import { ensureTemporalBinary } from '../../src/local/temporal';
import { CODEC_PATH } from '../../src/routes/codec';
import { conversationWorkflowId } from '../../workflows/shared/ids';
import { poolNumber, uniqueMobile } from '../support/phones';
import { eventually } from '../support/poll';
import { SUITE_PAYLOAD_KEYS, TestSystem, createClientFixture, resetDatabase, sid, testEnv } from '../support/system';

const PASSWORD = 'encryption-console-password';
const CODEC_TOKEN = 'codec-token-0123456789abcdef';
const UI_ORIGIN = 'http://localhost:8233';
const SUITE_1 = SUITE_PAYLOAD_KEYS.split(',')[1]!;

type History = proto.api.history.v1.IHistory;
interface FoundPayload {
  path: string;
  metadata: Record<string, string>;
  data: Uint8Array;
}

async function rawHistory(system: TestSystem, workflowId: string): Promise<History> {
  // The gRPC service answers as the server stores it: no data converter, no codec.
  const events: proto.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await system.temporal.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return { events };
}

/** Every payload in a history, with where it sits; and all its bytes and strings as text. */
function walk(history: History): { payloads: FoundPayload[]; text: string } {
  const payloads: FoundPayload[] = [];
  const text: string[] = [];
  const visit = (value: unknown, at: string) => {
    if (value instanceof Uint8Array) text.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') text.push(value);
    else if (value && typeof value === 'object') {
      const o = value as Record<string, unknown>;
      if (o.data instanceof Uint8Array && o.metadata && typeof o.metadata === 'object') {
        const metadata = Object.fromEntries(Object.entries(o.metadata as Record<string, Uint8Array>).map(([k, v]) => [k, Buffer.from(v).toString('utf8')]));
        payloads.push({ path: at, metadata, data: o.data });
      }
      for (const [k, v] of Object.entries(o)) visit(v, `${at}.${k}`);
    }
  };
  visit(history, 'history');
  return { payloads, text: text.join('\n') };
}

const national = (e164: string) => `0${e164.slice(3)}`;

async function workflowIds(system: TestSystem): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of system.temporal.workflow.list({ query: `TaskQueue = '${system.taskQueue}'` })) ids.push(wf.workflowId);
  return ids;
}

/** Signs in to the console as a browser would, returning the session cookie. */
async function consoleCookie(system: TestSystem): Promise<string> {
  const form = await fetch(`${system.baseUrl}/console/sign-in`);
  const pre = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  assert.ok(csrf, 'the sign-in form has its token');
  const signedIn = await fetch(`${system.baseUrl}/console/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: pre },
    body: new URLSearchParams({ csrf, password: PASSWORD }).toString(),
  });
  const session = signedIn.headers.getSetCookie().find((c) => c.startsWith('jobrun_console='));
  assert.ok(session, `signed in (${signedIn.status})`);
  return session.split(';')[0]!;
}

/** The CLI's JSON output, with every base64 payload field opened, as someone reading it would. */
const readable = (json: string) => [json, ...[...json.matchAll(/"data": "([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8'))].join('\n');

function temporalCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return ensureTemporalBinary('temporal').then(
    (cli) =>
      new Promise((resolve, reject) => {
        const child = spawn(cli, [...args, '--address', testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS')], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
}

describe('encrypted payloads', () => {
  const system = new TestSystem('payload-encryption');
  before(async () => {
    await system.start({ env: { CONSOLE_PASSWORD: PASSWORD, CODEC_TOKEN, TEMPORAL_UI_URL: UI_ORIGIN } });
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  const client = () => createClientFixture(system.db, { ownerPhone: uniqueMobile() });
  const BODY = 'Priya here, water pouring through the kitchen ceiling at 14 Larkspur Way, BS7 9QF';

  test("histories read straight from Temporal hold no customer's number, name, address or text; every payload is sealed", async () => {
    const c = await client();
    const customer = uniqueMobile();
    const text = { MessageSid: sid(), From: customer, To: c.number, Body: BODY };
    assert.equal((await system.post('/sms', text)).status, 200);
    await system.finished(text);
    const caller = uniqueMobile();
    const callSid = sid('CA');
    await system.post('/voice', { CallSid: callSid, From: caller, To: c.number });
    await system.post('/api/twilio/status', { CallSid: callSid, From: caller, To: c.number, CallStatus: 'no-answer', CallDuration: '0' });
    await system.callFinished(callSid);
    await eventually('the customer answered', async () => system.twilio.to(customer)[0]);

    const ids = await workflowIds(system);
    assert.ok(ids.includes(text.MessageSid) && ids.includes(callSid), `the text's and the call's workflows are among ${ids.length}`);
    let sealed = 0;
    for (const id of ids) {
      const { payloads, text: all } = walk(await rawHistory(system, id));
      for (const needle of [customer, customer.slice(1), national(customer), caller, caller.slice(1), national(caller), 'Priya', 'Larkspur', 'kitchen ceiling', 'BS7 9QF']) {
        assert.ok(!all.includes(needle), `${id}'s history holds ${JSON.stringify(needle)} in clear`);
      }
      for (const p of payloads) {
        // Search attributes are indexed by the server, so they cannot be sealed: they hold keyed hashes and ids only.
        if (/\.(searchAttributes|indexedFields)\b/.test(p.path)) continue;
        // What the SDK's core writes of its own in markers (a patch's id; a local activity's type, attempt and times).
        if (/markerRecordedEventAttributes\.details\.(data|patch-data)\./.test(p.path)) continue;
        assert.equal(p.metadata.encoding, 'binary/encrypted', `${id}: ${p.path} is not sealed`);
        sealed += 1;
      }
    }
    assert.ok(sealed > 20, `${sealed} sealed payloads`);
  });

  test('the codec server opens payloads for a signed-in operator or the codec token, and for no one else', async () => {
    const c = await client();
    const customer = uniqueMobile();
    const text = { MessageSid: sid(), From: customer, To: c.number, Body: BODY };
    await system.post('/sms', text);
    await system.finished(text);
    const { payloads } = walk(await rawHistory(system, text.MessageSid));
    const body = JSON.stringify({
      payloads: payloads
        .filter((p) => p.metadata.encoding === 'binary/encrypted')
        .map((p) => ({ metadata: Object.fromEntries(Object.entries(p.metadata).map(([k, v]) => [k, Buffer.from(v).toString('base64')])), data: Buffer.from(p.data).toString('base64') })),
    });
    const decode = (headers: Record<string, string>) => fetch(`${system.baseUrl}${CODEC_PATH}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers }, body });
    const opened = (res: { payloads: Array<{ data: string; metadata: Record<string, string> }> }) =>
      res.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');

    for (const [who, headers] of [
      ['nobody', {}],
      ['a wrong token', { authorization: 'Bearer not-the-codec-token-at-all' }],
      ['a forged cookie', { cookie: 'jobrun_console=abc.99999999999999.forged' }],
    ] as const) {
      const res = await decode(headers);
      assert.equal(res.status, 401, who);
      assert.doesNotMatch(await res.text(), /Priya|payloads/, `${who} gets nothing back`);
    }
    const byToken = await decode({ authorization: `Bearer ${CODEC_TOKEN}` });
    assert.equal(byToken.status, 200);
    assert.match(opened((await byToken.json()) as never), /Priya here, water pouring/);
    const byConsole = await decode({ cookie: await consoleCookie(system), origin: UI_ORIGIN });
    assert.equal(byConsole.status, 200);
    assert.equal(byConsole.headers.get('access-control-allow-origin'), UI_ORIGIN, 'the Web UI may read the answer');
    assert.equal(byConsole.headers.get('access-control-allow-credentials'), 'true');
    assert.match(opened((await byConsole.json()) as never), /Larkspur Way/);

    const preflight = await fetch(`${system.baseUrl}${CODEC_PATH}/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /X-Namespace/);
    const elsewhere = await fetch(`${system.baseUrl}${CODEC_PATH}/decode`, { method: 'OPTIONS', headers: { origin: 'https://evil.example' } });
    assert.equal(elsewhere.headers.get('access-control-allow-origin'), null, 'no other site may read it');

    const garbled = await fetch(`${system.baseUrl}${CODEC_PATH}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${CODEC_TOKEN}` }, body: '{"payloads": "no"}' });
    assert.equal(garbled.status, 400);
  });

  test('the temporal CLI shows a history in clear only through the codec server, with its token', async () => {
    const c = await client();
    const customer = uniqueMobile();
    const text = { MessageSid: sid(), From: customer, To: c.number, Body: BODY };
    await system.post('/sms', text);
    await system.finished(text);
    const plain = await temporalCli(['workflow', 'show', '-w', text.MessageSid, '--output', 'json']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.doesNotMatch(readable(plain.stdout), /Priya|Larkspur/);
    assert.match(plain.stdout, /binary\/encrypted|YmluYXJ5L2VuY3J5cHRlZA/, 'the CLI sees sealed payloads');
    const refused = await temporalCli(['workflow', 'show', '-w', text.MessageSid, '--output', 'json', '--codec-endpoint', `${system.baseUrl}${CODEC_PATH}`]);
    assert.doesNotMatch(readable(refused.stdout), /Priya|Larkspur/, 'no token, nothing opened');
    const shown = await temporalCli(['workflow', 'show', '-w', text.MessageSid, '--output', 'json', '--codec-endpoint', `${system.baseUrl}${CODEC_PATH}`, '--codec-auth', `Bearer ${CODEC_TOKEN}`]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(readable(shown.stdout), /Priya here, water pouring/);
  });

  test('/health says encryption is on', async () => {
    const health = (await (await fetch(`${system.baseUrl}/health`)).json()) as { payloadEncryption: { enabled: boolean } };
    assert.equal(health.payloadEncryption.enabled, true);
  });
});

describe('key rotation', () => {
  const system = new TestSystem('payload-rotation');
  before(async () => {
    await system.start({ env: { PAYLOAD_ENCRYPTION_KEYS: SUITE_1 } });
    await resetDatabase(system.db);
  });
  after(() => system.stop());

  test('a conversation begun under the old key goes on after the new key is put first; new payloads are sealed with it', async () => {
    const c = await createClientFixture(system.db, { ownerPhone: uniqueMobile() });
    const customer = uniqueMobile();
    const first = { MessageSid: sid(), From: customer, To: c.number, Body: 'My boiler has stopped, no heating at all' };
    await system.post('/sms', first);
    await system.finished(first);
    const conversationId = await eventually('the conversation', async () => {
      const row = await system.db.customer.findFirst({ where: { phone: customer } });
      return row ? conversationWorkflowId(c.clientId, row.id) : undefined;
    });
    const keyIds = async () => new Set(walk(await rawHistory(system, conversationId)).payloads.map((p) => p.metadata['encryption-key-id']).filter(Boolean));
    assert.deepEqual([...(await keyIds())], ['suite-1']);

    // The rotation as an operator does it: the new key first, the old one kept; the worker restarted
    // (it replays the conversation from a history sealed with the old key). The API still seals with the old.
    // Rolled once the turn's last workflow task is done and the conversation waits on its timer, so that
    // the new worker's first task replays the whole turn.
    await eventually('the conversation idle', async () => (await rawHistory(system, conversationId)).events?.at(-1)?.eventType === proto.api.enums.v1.EventType.EVENT_TYPE_TIMER_STARTED || undefined);
    system.setEnv({ PAYLOAD_ENCRYPTION_KEYS: SUITE_PAYLOAD_KEYS });
    await system.restartWorker();
    const before = system.twilio.to(customer).length;
    const second = { MessageSid: sid(), From: customer, To: c.number, Body: 'It is a Worcester combi, SE15 4QL' };
    await system.post('/sms', second);
    await system.finished(second);
    await eventually('the second reply', async () => system.twilio.to(customer).length > before);
    assert.deepEqual([...(await keyIds())].sort(), ['suite-1', 'suite-2']);
  });
});

describe('without encryption', () => {
  test('npm run api refuses to start without PAYLOAD_ENCRYPTION_KEYS, naming it and the way out', async () => {
    const env = { ...process.env, PAYLOAD_ENCRYPTION_KEYS: '', PAYLOAD_ENCRYPTION: '', DATABASE_URL: testEnv('JOBRUN_TEST_DATABASE_URL'), TEMPORAL_ADDRESS: testEnv('JOBRUN_TEST_TEMPORAL_ADDRESS'), TWILIO_SIGNATURE_CHECK: 'off', PORT: '0' };
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'src', 'api.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    assert.equal(code, 78);
    assert.match(stderr, /PAYLOAD_ENCRYPTION_KEYS: is required by this process/);
    assert.match(stderr, /PAYLOAD_ENCRYPTION=off/);
  });

  const system = new TestSystem('payload-off');
  after(() => system.stop());

  test('PAYLOAD_ENCRYPTION=off runs, and /health says so as degraded', async () => {
    await system.start({ env: { PAYLOAD_ENCRYPTION_KEYS: undefined, PAYLOAD_ENCRYPTION: 'off' } });
    const res = await fetch(`${system.baseUrl}/health`);
    const health = (await res.json()) as { status: string; payloadEncryption: { enabled: boolean; reason: string } };
    assert.equal(health.payloadEncryption.enabled, false);
    assert.match(health.payloadEncryption.reason, /PAYLOAD_ENCRYPTION=off/);
    assert.equal(health.status, 'degraded');
    const text = { MessageSid: sid(), From: uniqueMobile(), To: poolNumber(), Body: 'hello' };
    await system.post('/sms', text);
    await system.finished(text);
    assert.match(walk(await rawHistory(system, text.MessageSid)).text, /hello/, 'in clear, as the operator chose');
  });
});
