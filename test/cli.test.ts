// Black-box tests of the admin CLI: the real bin/jobrun.js against the
// migrated Postgres in DATABASE_URL. The tables it uses are emptied first,
// so point it at a database no other test is using at the same moment.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../src/config';
import { Client as Pg } from 'pg';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { addClient } from '../src/admin/clients';
import { addNumber } from '../src/admin/numbers';
import { createDb } from '../src/db';
import { createJobActivities } from '../activities/save-job';
import { FakeTwilio } from './support/fake-twilio';
import { eventually } from './support/poll';

const BIN = path.join(__dirname, '..', 'bin', 'jobrun.js');
const DATABASE_URL = process.env.JOBRUN_TEST_DATABASE_URL ?? process.env.DATABASE_URL;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function jobrun(...args: string[]): Promise<Run> {
  return jobrunWith({}, ...args);
}

function jobrunWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, DATABASE_URL, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The contract's shape of a refusal: non-zero, one `jobrun: ` line, nothing else. */
function assertRefused(r: Run, pattern: RegExp): void {
  assert.notEqual(r.code, 0, `expected failure, got success: ${r.stdout}`);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `expected one stderr line, got: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0]!, /^jobrun: /);
  assert.match(lines[0]!, pattern);
  assert.equal(r.stdout, '');
}

/** The union of the fields the CLI's JSON outputs carry, for terse assertions. */
interface Out {
  id: string;
  phoneNumber: string;
  role: string;
  outcome: string;
  businessName: string;
  ownerPhone: string;
  serviceArea: string[];
  number: string;
  previousClientId: string | null;
  numbers: string[];
  outboundPaused: boolean;
  changed: boolean;
}

function json<T = Out>(r: Run): T {
  assert.equal(r.code, 0, `command failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

let pg: Pg;

async function reset(): Promise<void> {
  await pg.query('TRUNCATE "Client", "TwilioNumberPool" CASCADE');
}

async function pool(phone: string): Promise<{ role: string; clientId: string | null } | undefined> {
  const { rows } = await pg.query('SELECT role::text AS role, "clientId" FROM "TwilioNumberPool" WHERE "phoneNumber" = $1', [phone]);
  return rows[0];
}

async function count(table: 'Client' | 'TwilioNumberPool'): Promise<number> {
  const { rows } = await pg.query(`SELECT count(*)::int AS n FROM "${table}"`);
  return rows[0].n;
}

before(async () => {
  assert.ok(DATABASE_URL, 'DATABASE_URL must point at a migrated database');
  pg = new Pg({ connectionString: DATABASE_URL });
  await pg.connect();
});

after(async () => {
  await pg?.end();
});

test('help, unknown commands and missing arguments', async () => {
  for (const args of [[], ['--help'], ['clients', 'add', '--help']]) {
    const r = await jobrun(...args);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /jobrun numbers add/);
  }
  assertRefused(await jobrun('frobnicate'), /unknown command/);
  assertRefused(await jobrun('clients'), /subcommand/);
  assertRefused(await jobrun('numbers', 'add'), /missing argument/);
  assertRefused(await jobrun('clients', 'list', '--bogus'), /unknown option --bogus/);
});

test('keys new prints a fresh payload key entry that the configuration accepts', async () => {
  const [a, b] = [await jobrun('keys', 'new'), await jobrun('keys', 'new')];
  assert.equal(a.code, 0);
  assert.notEqual(a.stdout, b.stdout);
  const entry = a.stdout.trim();
  assert.match(entry, /^k\d{8}-[0-9a-f]{6}:[A-Za-z0-9+/]{43}=$/);
  assert.equal(loadConfig({ TWILIO_SIGNATURE_CHECK: 'off', PAYLOAD_ENCRYPTION_KEYS: entry }).payloadEncryption.mode, 'on');
});

test('numbers add puts a FREE number in the pool, idempotently; --onboarding; --json', async () => {
  await reset();
  const r = await jobrun('numbers', 'add', '+447700900001');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\+447700900001/);
  assert.match(r.stdout, /nothing was configured at Twilio \(no TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN\)/);
  assert.deepEqual(await pool('+447700900001'), { role: 'FREE', clientId: null });

  const again = json(await jobrun('numbers', 'add', '+447700900001', '--json'));
  assert.equal(again.phoneNumber, '+447700900001');
  assert.equal(again.role, 'FREE');
  assert.equal(again.outcome, 'unchanged');
  assert.equal(await count('TwilioNumberPool'), 1);

  const onb = json(await jobrun('numbers', 'add', '+447700900002', '--onboarding', '--json'));
  assert.equal(onb.role, 'ONBOARDING');
  assert.deepEqual(await pool('+447700900002'), { role: 'ONBOARDING', clientId: null });

  const listed = json<{ phoneNumber: string; role: string }[]>(await jobrun('numbers', 'list', '--json'));
  assert.deepEqual(
    listed.map((n) => [n.phoneNumber, n.role]),
    [
      ['+447700900001', 'FREE'],
      ['+447700900002', 'ONBOARDING'],
    ],
  );
});

test('a malformed number is refused with one line and no row', async () => {
  await reset();
  for (const bad of ['07700900123', '+44 7700 900123', '+0447700900123', 'abc']) {
    assertRefused(await jobrun('numbers', 'add', bad), /E\.164/);
  }
  assertRefused(await jobrun('clients', 'add', '--name', 'Acme', '--owner-phone', '07700900123'), /--owner-phone.*E\.164/);
  assert.equal(await count('TwilioNumberPool'), 0);
  assert.equal(await count('Client'), 0);
});

test('clients add takes the next free number and marks it ASSIGNED', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900010', '--onboarding');
  assert.equal((await jobrun('numbers', 'add', '+447700900011')).code, 0);
  assert.equal((await jobrun('numbers', 'add', '+447700900012')).code, 0);

  const c = json(
    await jobrun(
      'clients', 'add', '--name', "Bob's Plumbing", '--owner-phone', '+447700900100',
      '--trade', 'plumber', '--service-area', 'SW1, SW2', '--json',
    ),
  );
  assert.equal(c.businessName, "Bob's Plumbing");
  assert.equal(c.ownerPhone, '+447700900100');
  assert.deepEqual(c.serviceArea, ['SW1', 'SW2']);
  assert.equal(c.number, '+447700900011', 'the oldest FREE number, never the onboarding one');
  assert.deepEqual(await pool('+447700900011'), { role: 'ASSIGNED', clientId: c.id });
  const { rows } = await pg.query('SELECT "businessName", "phoneNumber", trade, "outboundPaused" FROM "Client" WHERE id = $1', [c.id]);
  assert.deepEqual(rows[0], { businessName: "Bob's Plumbing", phoneNumber: '+447700900100', trade: 'plumber', outboundPaused: false });

  // A named number must be FREE: not the onboarding one, not an assigned one, not an unknown one.
  assertRefused(await jobrun('clients', 'add', '--name', 'X', '--owner-phone', '+447700900101', '--number', '+447700900010'), /onboarding/);
  assertRefused(await jobrun('clients', 'add', '--name', 'X', '--owner-phone', '+447700900101', '--number', '+447700900011'), /already assigned/);
  assertRefused(await jobrun('clients', 'add', '--name', 'X', '--owner-phone', '+447700900101', '--number', '+447700900099'), /not in the number pool/);
  assertRefused(await jobrun('clients', 'add', '--owner-phone', '+447700900101'), /--name is required/);
  assert.equal(await count('Client'), 1);

  const named = json(await jobrun('clients', 'add', '--name', 'Sparky', '--owner-phone', '+447700900102', '--number', '+447700900012', '--json'));
  assert.equal(named.number, '+447700900012');
  assert.deepEqual(await pool('+447700900012'), { role: 'ASSIGNED', clientId: named.id });

  // Re-adding an assigned number must not quietly hand it back to the pool.
  assertRefused(await jobrun('numbers', 'add', '+447700900011'), /already assigned/);
  assertRefused(await jobrun('numbers', 'add', '+447700900011', '--onboarding'), /already assigned/);
  assert.deepEqual(await pool('+447700900011'), { role: 'ASSIGNED', clientId: c.id });
});

test('no free number: clear error and no Client row', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900020', '--onboarding');
  assertRefused(await jobrun('clients', 'add', '--name', 'Nobody', '--owner-phone', '+447700900103'), /no FREE number/);
  assert.equal(await count('Client'), 0);
  assert.deepEqual(await pool('+447700900020'), { role: 'ONBOARDING', clientId: null });
});

test('clients list prints one line per client, or JSON', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900031');
  await jobrun('numbers', 'add', '+447700900032');
  const a = json(await jobrun('clients', 'add', '--name', 'Alpha Roofing', '--owner-phone', '+447700900104', '--json'));
  const b = json(await jobrun('clients', 'add', '--name', 'Beta Gas', '--owner-phone', '+447700900105', '--json'));

  const text = await jobrun('clients', 'list');
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.deepEqual(lines[0]!.split('\t'), [a.id, 'Alpha Roofing', '+447700900031', 'active']);
  assert.deepEqual(lines[1]!.split('\t'), [b.id, 'Beta Gas', '+447700900032', 'active']);

  const listed = json<Out[]>(await jobrun('clients', 'list', '--json'));
  assert.deepEqual(
    listed.map((c) => [c.id, c.businessName, c.numbers, c.outboundPaused]),
    [
      [a.id, 'Alpha Roofing', ['+447700900031'], false],
      [b.id, 'Beta Gas', ['+447700900032'], false],
    ],
  );
});

test('pause and resume by id and by JobRun number flip outboundPaused', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900041');
  const c = json(await jobrun('clients', 'add', '--name', 'Gamma Joinery', '--owner-phone', '+447700900106', '--json'));
  const paused = async () => (await pg.query('SELECT "outboundPaused" AS p FROM "Client" WHERE id = $1', [c.id])).rows[0].p;

  const p1 = json(await jobrun('clients', 'pause', c.id, '--json'));
  assert.equal(p1.outboundPaused, true);
  assert.equal(p1.changed, true);
  assert.equal(await paused(), true);
  const listLine = (await jobrun('clients', 'list')).stdout.trim();
  assert.match(listLine, /\tpaused$/);

  const r1 = await jobrun('clients', 'resume', '+447700900041');
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(await paused(), false);

  assert.equal((await jobrun('clients', 'pause', '+447700900041')).code, 0);
  assert.equal(await paused(), true);
  assert.equal((await jobrun('clients', 'resume', c.id)).code, 0);
  assert.equal(await paused(), false);
});

test('an unknown client is refused and nothing changes', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900051');
  await jobrun('numbers', 'add', '+447700900052');
  await jobrun('clients', 'add', '--name', 'Delta', '--owner-phone', '+447700900107');
  assertRefused(await jobrun('clients', 'pause', 'no-such-client'), /no client/);
  // A pool number with no client, and the owner's own phone, are not JobRun numbers of a client.
  assertRefused(await jobrun('clients', 'pause', '+447700900052'), /no client/);
  assertRefused(await jobrun('clients', 'pause', '+447700900107'), /no client/);
  assertRefused(await jobrun('clients', 'resume', '+44'), /E\.164/);
  assertRefused(await jobrun('clients', 'pause'), /missing argument/);
  const { rows } = await pg.query('SELECT count(*)::int AS n FROM "Client" WHERE "outboundPaused"');
  assert.equal(rows[0].n, 0);
});

test('two concurrent clients add racing for the one free number: exactly one wins', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900061');
  const [x, y] = await Promise.all([
    jobrun('clients', 'add', '--name', 'Racer One', '--owner-phone', '+447700900108', '--json'),
    jobrun('clients', 'add', '--name', 'Racer Two', '--owner-phone', '+447700900109', '--json'),
  ]);
  const winners = [x, y].filter((r) => r.code === 0);
  const losers = [x, y].filter((r) => r.code !== 0);
  assert.equal(winners.length, 1, `expected one winner: ${JSON.stringify([x, y])}`);
  assertRefused(losers[0]!, /no FREE number/);
  const won = JSON.parse(winners[0]!.stdout);
  assert.equal(await count('Client'), 1);
  assert.deepEqual(await pool('+447700900061'), { role: 'ASSIGNED', clientId: won.id });
});

test('two concurrent clients add naming the same number: exactly one wins', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900071');
  await jobrun('numbers', 'add', '+447700900072');
  const results = await Promise.all(
    [1, 2, 3].map((i) => jobrun('clients', 'add', '--name', `Named ${i}`, '--owner-phone', '+447700900110', '--number', '+447700900072', '--json')),
  );
  assert.equal(results.filter((r) => r.code === 0).length, 1, JSON.stringify(results));
  for (const r of results.filter((r) => r.code !== 0)) assertRefused(r, /already assigned/);
  assert.equal(await count('Client'), 1);
  assert.deepEqual(await pool('+447700900071'), { role: 'FREE', clientId: null });
});

test('in-process: many concurrent addClient calls never share a number', async () => {
  // Spawned CLIs rarely overlap their transactions exactly; in one process they do.
  await reset();
  const dbs = [1, 2, 3, 4, 5, 6].map(() => createDb(DATABASE_URL!, 5000, 1));
  try {
    await addNumber(dbs[0]!, '+447700900081');
    await addNumber(dbs[0]!, '+447700900082');
    const settled = await Promise.allSettled(
      dbs.map((db, i) => addClient(db, { businessName: `Concurrent ${i}`, ownerPhone: '+447700900111' })),
    );
    const won = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    assert.equal(won.length, 2);
    assert.deepEqual(won.map((c) => c.numbers[0]).sort(), ['+447700900081', '+447700900082']);
    for (const s of settled) if (s.status === 'rejected') assert.match(String(s.reason?.message), /no FREE number/);
    assert.equal(await count('Client'), 2);
  } finally {
    await Promise.all(dbs.map((db) => db.$disconnect()));
  }
});

test('numbers release makes an assigned number FREE again, refuses an unknown one', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900031');
  const c = json(await jobrun('clients', 'add', '--name', 'Release Me', '--owner-phone', '+447700900131', '--json'));
  assert.deepEqual(await pool('+447700900031'), { role: 'ASSIGNED', clientId: c.id });
  const r = json(await jobrun('numbers', 'release', '+447700900031', '--json'));
  assert.equal(r.previousClientId, c.id);
  assert.deepEqual(await pool('+447700900031'), { role: 'FREE', clientId: null });
  assertRefused(await jobrun('numbers', 'release', '+447700900032'), /not in the number pool/);
  assertRefused(await jobrun('numbers', 'release', '07700900031'), /E\.164/);
});

/** A customer of the client with a conversation, as intake would create them. */
async function conversationOf(db: ReturnType<typeof createDb>, clientId: string, phone: string) {
  const customer = await db.customer.create({ data: { clientId, phone } });
  const conversation = await db.conversation.create({ data: { clientId, customerId: customer.id } });
  return { clientId, customerId: customer.id, conversationId: conversation.id };
}

test('in-process: each client numbers its jobs J1, J2, ... with no gaps or doubles, however the openings race', async () => {
  await reset();
  const dbs = [1, 2, 3, 4, 5, 6].map(() => createDb(DATABASE_URL!, 5000, 1));
  try {
    await addNumber(dbs[0]!, '+447700900091');
    await addNumber(dbs[0]!, '+447700900092');
    const a = await addClient(dbs[0]!, { businessName: 'Numbered A', ownerPhone: '+447700900191' });
    const b = await addClient(dbs[0]!, { businessName: 'Numbered B', ownerPhone: '+447700900192' });
    const keys = await Promise.all([1, 2, 3, 4, 5].map((i) => conversationOf(dbs[0]!, a.id, `+4479110001${i}0`)));
    const other = await conversationOf(dbs[0]!, b.id, '+447911000190');
    // Six openings at once for five conversations: the first conversation is opened twice.
    const opened = await Promise.all(
      [...keys, keys[0]!].map((key, i) => createJobActivities({ db: dbs[i]! }).openJob(key)),
    );
    const refs = opened.map((o) => o.reference);
    assert.equal(refs[0], refs[5], 'a conversation opened twice is one job');
    assert.deepEqual([...new Set(refs)].sort(), ['J1', 'J2', 'J3', 'J4', 'J5']);
    assert.deepEqual(await createJobActivities({ db: dbs[0]! }).openJob(other), { reference: 'J1' }, 'another client starts at J1');
    const { rows } = await pg.query('SELECT "nextJobNumber" AS n FROM "Client" WHERE id = $1', [a.id]);
    assert.equal(rows[0].n, 6);
  } finally {
    await Promise.all(dbs.map((db) => db.$disconnect()));
  }
});

test('a backup phone: given at clients add, changed and removed with set-backup; bad input refused and nothing changed', async () => {
  await reset();
  await jobrun('numbers', 'add', '+447700900094');
  await jobrun('numbers', 'add', '+447700900095');
  const c = json<Out & { backupPhone: string | null }>(await jobrun('clients', 'add', '--name', 'Two Phones', '--owner-phone', '+447700900194', '--backup-phone', '+447700900294', '--json'));
  assert.equal(c.backupPhone, '+447700900294');
  const changed = json<Out & { backupPhone: string | null }>(await jobrun('clients', 'set-backup', '+447700900094', '+447700900295', '--json'));
  assert.equal(changed.backupPhone, '+447700900295');
  assertRefused(await jobrun('clients', 'set-backup', c.id, '07700 900296'), /E\.164/);
  assertRefused(await jobrun('clients', 'set-backup', 'no-such-client', '+447700900296'), /no client with id or JobRun number/);
  assertRefused(await jobrun('clients', 'add', '--name', 'Bad Backup', '--owner-phone', '+447700900195', '--backup-phone', 'nope'), /E\.164/);
  assert.equal(await count('Client'), 1, 'the refused add created nothing');
  const { rows } = await pg.query('SELECT "backupPhone" FROM "Client" WHERE id = $1', [c.id]);
  assert.equal(rows[0].backupPhone, '+447700900295');
  const removed = await jobrun('clients', 'set-backup', c.id, 'none');
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /no backup phone/);
  assert.equal((await pg.query('SELECT "backupPhone" FROM "Client" WHERE id = $1', [c.id])).rows[0].backupPhone, null);
});

test('jobs list: newest first, by client id or JobRun number, --open leaves out the done ones; a bad client is refused', async () => {
  await reset();
  const db = createDb(DATABASE_URL!);
  try {
    await addNumber(db, '+447700900093');
    const c = await addClient(db, { businessName: 'Listed Plumbing', ownerPhone: '+447700900193' });
    const jobs = createJobActivities({ db });
    for (const phone of ['+447911000201', '+447911000202']) await jobs.openJob(await conversationOf(db, c.id, phone));
    await pg.query(`UPDATE "Job" SET progress = 'DONE' WHERE number = 1 AND "clientId" = $1`, [c.id]);

    const all = json<Array<{ reference: string; progress: string; customerPhone: string; businessName: string }>>(await jobrun('jobs', 'list', '--client', '+447700900093', '--json'));
    assert.deepEqual(all.map((j) => [j.reference, j.progress, j.customerPhone]), [['J2', 'NEW', '+447911000202'], ['J1', 'DONE', '+447911000201']]);
    const open = await jobrun('jobs', 'list', '--client', c.id, '--open');
    assert.equal(open.code, 0, open.stderr);
    assert.deepEqual(open.stdout.trim().split('\n').map((l) => l.split('\t').slice(0, 5)), [['J2', 'Listed Plumbing', 'ROUTINE', 'NEW', '+447911000202']]);
    assertRefused(await jobrun('jobs', 'list', '--client', 'no-such-client'), /no client with id or JobRun number/);
    assertRefused(await jobrun('jobs', 'list', '--client', '+44 7700'), /E\.164/);
  } finally {
    await db.$disconnect();
  }
});

test('setup: migrations and search attributes for an existing Temporal, idempotent; a namespace that is not there is refused in one line', async () => {
  const address = process.env.JOBRUN_TEST_TEMPORAL_ADDRESS;
  assert.ok(address, 'run with npm test');
  const namespace = `setup-${process.pid}-${Date.now()}`;
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
    const env = { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TWILIO_SIGNATURE_CHECK: 'off' };
    // A namespace just registered takes a moment to be served.
    const first = await eventually('setup on the new namespace', async () => {
      const r = await jobrunWith(env, 'setup');
      return r.code === 0 ? r : undefined;
    });
    assert.match(first.stdout, /^migrations applied \(\d+ ms\)$/m);
    assert.match(first.stdout, new RegExp(`search attributes registered in namespace ${namespace}: JobRunClientId, JobRunNumberRole, JobRunUrgency, JobRunCustomerHash`));
    assert.match(first.stdout, new RegExp(`namespace ${namespace} now keeps closed workflows 90 days, as RETENTION_DAYS \\(was 1\\)`));
    const described = await connection.workflowService.describeNamespace({ namespace });
    assert.equal(Number(described.config?.workflowExecutionRetentionTtl?.seconds), 90 * 86_400);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const name of ['JobRunClientId', 'JobRunNumberRole', 'JobRunUrgency', 'JobRunCustomerHash']) assert.ok(name in (customAttributes ?? {}), name);
    const again = json<{ added: string[]; present: string[] }>(await jobrunWith(env, 'setup', '--json'));
    assert.deepEqual(again.added, []);
    assert.equal(again.present.length, 4);
    assertRefused(await jobrunWith({ ...env, TEMPORAL_NAMESPACE: 'no-such-namespace-here' }, 'setup'), /no-such-namespace-here|not found/i);
    assertRefused(await jobrunWith({ TEMPORAL_ADDRESS: '', TWILIO_SIGNATURE_CHECK: 'off' }, 'setup'), /TEMPORAL_ADDRESS is not set/);
    assertRefused(await jobrunWith({ ...env, TWILIO_SIGNATURE_CHECK: undefined }, 'setup'), /TWILIO_SIGNATURE_CHECK: is on but TWILIO_AUTH_TOKEN is not set/);
  } finally {
    await connection.close();
  }
});

test("with Twilio credentials numbers add points the number's webhooks at PUBLIC_BASE_URL (a number the account lacks is refused, nothing changed); numbers check lists drift", async () => {
  await reset();
  const twilio = await new FakeTwilio().start();
  try {
    const env = {
      TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000',
      TWILIO_AUTH_TOKEN: 'test-auth-token-0123456789',
      TWILIO_API_BASE_URL: twilio.url,
      PUBLIC_BASE_URL: 'https://jobrun.example.com',
      FALLBACK_BASE_URL: 'https://fallback.example.com',
    };
    assertRefused(await jobrunWith(env, 'numbers', 'add', '+447700900301'), /\+447700900301 is not a number of Twilio account AC0+; buy it or port it in first; nothing was changed/);
    assert.equal(await count('TwilioNumberPool'), 0);

    const owned = twilio.ownNumber('+447700900301');
    const added = await jobrunWith(env, 'numbers', 'add', '+447700900301');
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /^added \+447700900301 as FREE\npointed at https:\/\/jobrun\.example\.com at Twilio \(smsUrl, smsMethod, voiceUrl/);
    assert.deepEqual(owned.settings, {
      sms_url: 'https://jobrun.example.com/sms',
      sms_method: 'POST',
      voice_url: 'https://jobrun.example.com/voice',
      voice_method: 'POST',
      status_callback: 'https://jobrun.example.com/api/twilio/status',
      status_callback_method: 'POST',
      sms_fallback_url: 'https://fallback.example.com/sms',
      sms_fallback_method: 'POST',
      voice_fallback_url: 'https://fallback.example.com/voice',
      voice_fallback_method: 'POST',
    });
    const again = json<{ twilio: { configured: boolean; changed: string[] } }>(await jobrunWith(env, 'numbers', 'add', '+447700900301', '--json'));
    assert.deepEqual(again.twilio, { configured: true, changed: [] });
    assert.equal(twilio.numberUpdates.length, 1, 'nothing to change the second time');

    const ok = await jobrunWith(env, 'numbers', 'check');
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.trim(), 'every pool number points at https://jobrun.example.com');
    // Someone edits the number in Twilio's console; another pool number was never bought.
    owned.settings.voice_url = 'https://old.example.com/voice';
    await jobrun('numbers', 'add', '+447700900302');
    const drift = json<Array<{ phoneNumber: string; problems: string[] }>>(await jobrunWith(env, 'numbers', 'check', '--json'));
    assert.deepEqual(drift, [
      { phoneNumber: '+447700900301', problems: ['voiceUrl: "https://old.example.com/voice" → "https://jobrun.example.com/voice"'] },
      { phoneNumber: '+447700900302', problems: ['not a number of Twilio account AC00000000000000000000000000000000'] },
    ]);
    assertRefused(await jobrun('numbers', 'check'), /numbers check reads the numbers at Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN/);
  } finally {
    await twilio.stop();
  }
});

