// The admin CLI (`npx jobrun ...`): its commands, flags and one-line errors are what operators and deploy scripts rely on (README, "Admin CLI").
// Every input is validated before the database is touched, so bad input
// changes nothing and fails with one `jobrun: ...` line on stderr.
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { setup } from '../admin/setup';
import { ConfigError, loadConfig, type Config } from '../config';
import { temporalConnectionOptions } from '../temporal/connection-options';
import { createDb, type Db } from '../db';
import { expectPositionals, optionalString, parseFlags, parsePhone, requireString, type FlagSpec, type ParsedArgs } from './args';
import { addClient, findClient, listClients, setBackupPhone, setPaused, type ClientSummary } from '../admin/clients';
import { Refusal } from '../admin/refusal';
import { CliError, UsageError } from './errors';
import { findCustomer, forgetCustomer } from '../admin/customers';
import { listJobs, type JobSummary } from '../admin/jobs';
import { customerSearch } from '../temporal/customer-hash';
import { newPayloadKeyEntry } from '../temporal/payload-encryption';
import { createTwilioClient } from '../twilio/client';
import { createNumberWebhooks, wantedWebhooks } from '../twilio/number-webhooks';
import { addNumberAtTwilio, listNumbers, releaseNumber } from '../admin/numbers';

const HELP = `JobRun admin CLI

Usage:
  jobrun setup                               make an existing Postgres and Temporal ready:
                                             migrations, search attributes (idempotent:
                                             run it on every deploy)
  jobrun keys new                            a new PAYLOAD_ENCRYPTION_KEYS entry (<id>:<base64>):
                                             put it first in the list to rotate, keep the old
                                             ones after it until their histories are gone
  jobrun numbers add <E164> [--onboarding]   put a Twilio number into the pool (FREE),
                                             or make it an onboarding number
                                             (with Twilio credentials: also points the number's
                                             SMS URL, voice URL and call status callback at
                                             PUBLIC_BASE_URL, and FALLBACK_BASE_URL's fallbacks)
  jobrun numbers check                       every pool number whose webhooks at Twilio are
                                             not JobRun's
  jobrun numbers list                        every pool number: number, role, client id
  jobrun numbers release <E164>              make a number FREE again (its client loses it;
                                             callers then get the SYSTEM fail-safe)
  jobrun clients add --name <business> --owner-phone <E164> [--backup-phone <E164>]
                     [--trade <trade>] [--number <E164>] [--service-area "SW1,SW2"]
                                             create a client and give it a pool number
                                             (the one named, or the next FREE one)
  jobrun clients list                        one client a line: id, business, JobRun number(s), paused/active
  jobrun clients pause <client id or JobRun number>    stop outbound texts (SystemGate)
  jobrun clients resume <client id or JobRun number>   allow outbound texts again
  jobrun clients set-backup <client id or JobRun number> <E164|none>
                                             a second phone whose texts are the tradesperson's
                                             commands too (none removes it)
  jobrun customers forget <E164> [--client <client id or JobRun number>]
                                             erasure on request: ends their conversation without
                                             a text, anonymises their rows, keeps a record
  jobrun customers find <E164>               what to search the Temporal Web UI with for a
                                             customer (JobRunCustomerHash), and whose customer
                                             they are
  jobrun jobs list [--client <client id or JobRun number>] [--open]
                                             jobs newest first: reference, client, urgency,
                                             progress, customer, postcode (--open: not done)

Options:
  --json      print the result as one JSON value on stdout
  --help, -h  this text

Environment:
  DATABASE_URL  JobRun's Postgres (postgresql://...)
  TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*  (setup only)
  SEARCH_HASH_KEY  the key of JobRunCustomerHash (customers find)

Exit status: 0 done; 1 refused (nothing changed); 2 bad usage (nothing changed).
`;

interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
}

interface Output {
  json: unknown;
  text: string[];
}

interface Command {
  usage: string;
  flags: FlagSpec;
  /** Validates everything up front and returns the database work to do. */
  prepare(args: ParsedArgs, env: NodeJS.ProcessEnv): (db: Db) => Promise<Output>;
}

const commands: Record<string, Record<string, Command>> = {
  numbers: {
    add: {
      usage: 'jobrun numbers add <E164> [--onboarding] [--json]',
      flags: { onboarding: 'boolean' },
      prepare(args, env) {
        const [raw] = expectPositionals(args, 1, this.usage);
        const phone = parsePhone(raw!, 'number');
        const onboarding = args.flags.onboarding === true;
        const twilio = numberWebhooks(env);
        return async (db) => {
          const r = await addNumberAtTwilio(db, twilio?.webhooks ?? null, phone, { onboarding });
          const verb = { created: 'added', changed: 'updated', unchanged: 'already in the pool:' }[r.outcome];
          const atTwilio = !r.twilio.configured
            ? 'nothing was configured at Twilio (no TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)'
            : r.twilio.changed.length > 0
              ? `pointed at ${twilio!.base} at Twilio (${r.twilio.changed.map((c) => c.split(':')[0]).join(', ')})`
              : `already pointed at ${twilio!.base} at Twilio`;
          return { json: r, text: [`${verb} ${r.phoneNumber} as ${r.role}`, atTwilio] };
        };
      },
    },
    check: {
      usage: 'jobrun numbers check [--json]',
      flags: {},
      prepare(args, env) {
        expectPositionals(args, 0, this.usage);
        const twilio = numberWebhooks(env);
        if (!twilio) throw new CliError('numbers check reads the numbers at Twilio: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN');
        return async (db) => {
          const drift = await twilio.webhooks.drift((await listNumbers(db)).map((n) => n.phoneNumber));
          return {
            json: drift,
            text: drift.length === 0 ? [`every pool number points at ${twilio.base}`] : drift.map((d) => `${d.phoneNumber}\t${d.problems.join('; ')}`),
          };
        };
      },
    },
    list: {
      usage: 'jobrun numbers list [--json]',
      flags: {},
      prepare(args) {
        expectPositionals(args, 0, this.usage);
        return async (db) => {
          const rows = await listNumbers(db);
          return { json: rows, text: rows.map((n) => [n.phoneNumber, n.role, n.clientId ?? '-'].join('\t')) };
        };
      },
    },
    release: {
      usage: 'jobrun numbers release <E164> [--json]',
      flags: {},
      prepare(args) {
        const [raw] = expectPositionals(args, 1, this.usage);
        const phone = parsePhone(raw!, 'number');
        return async (db) => {
          const r = await releaseNumber(db, phone);
          const from = r.previousClientId ? ` (taken from client ${r.previousClientId})` : '';
          return { json: r, text: [`released ${r.phoneNumber}: now FREE${from}`] };
        };
      },
    },
  },
  clients: {
    add: {
      usage:
        'jobrun clients add --name <business> --owner-phone <E164> [--backup-phone <E164>] [--trade <trade>] [--number <E164>] [--service-area "SW1,SW2"] [--json]',
      flags: { name: 'string', 'owner-phone': 'string', 'backup-phone': 'string', trade: 'string', number: 'string', 'service-area': 'string' },
      prepare(args) {
        const ctx = 'clients add';
        expectPositionals(args, 0, this.usage);
        const businessName = requireString(args, 'name', ctx);
        const ownerPhone = parsePhone(requireString(args, 'owner-phone', ctx), '--owner-phone');
        const backupArg = optionalString(args, 'backup-phone');
        const backupPhone = backupArg === undefined ? undefined : parsePhone(backupArg, '--backup-phone');
        const numberArg = optionalString(args, 'number');
        const number = numberArg === undefined ? undefined : parsePhone(numberArg, '--number');
        const trade = optionalString(args, 'trade');
        const areaArg = optionalString(args, 'service-area');
        const serviceArea = areaArg
          ?.split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        return async (db) => {
          const c = await addClient(db, { businessName, ownerPhone, backupPhone, trade, serviceArea, number });
          return {
            json: { ...c, number: c.numbers[0] },
            text: [`created client ${c.id} (${c.businessName}) on JobRun number ${c.numbers.join(', ')}`],
          };
        };
      },
    },
    list: {
      usage: 'jobrun clients list [--json]',
      flags: {},
      prepare(args) {
        expectPositionals(args, 0, this.usage);
        return async (db) => {
          const rows = await listClients(db);
          return { json: rows, text: rows.map(clientLine) };
        };
      },
    },
    pause: pauseCommand(true),
    resume: pauseCommand(false),
    'set-backup': {
      usage: 'jobrun clients set-backup <client id or JobRun number> <E164|none> [--json]',
      flags: {},
      prepare(args) {
        const [ref, raw] = expectPositionals(args, 2, this.usage);
        checkClientRef(ref!, 'JobRun number');
        const backupPhone = raw!.trim().toLowerCase() === 'none' ? null : parsePhone(raw!, 'backup phone');
        return async (db) => {
          const c = await setBackupPhone(db, ref!, backupPhone);
          return { json: c, text: [backupPhone ? `${c.id} (${c.businessName}): backup phone ${backupPhone}` : `${c.id} (${c.businessName}): no backup phone`] };
        };
      },
    },
  },
  jobs: {
    list: {
      usage: 'jobrun jobs list [--client <client id or JobRun number>] [--open] [--json]',
      flags: { client: 'string', open: 'boolean' },
      prepare(args) {
        expectPositionals(args, 0, this.usage);
        const client = optionalString(args, 'client');
        if (client !== undefined) checkClientRef(client, '--client');
        const open = args.flags.open === true;
        return async (db) => {
          const rows = await listJobs(db, { client, open });
          return { json: rows, text: rows.map(jobLine) };
        };
      },
    },
  },
  customers: {
    forget: {
      usage: 'jobrun customers forget <E164> [--client <client id or JobRun number>] [--json]',
      flags: { client: 'string' },
      prepare(args, env) {
        expectPositionals(args, 1, this.usage);
        const phone = parsePhone(args.positionals[0]!, 'phone number');
        const clientRef = optionalString(args, 'client');
        if (clientRef !== undefined) checkClientRef(clientRef, '--client');
        const temporal = temporalFromEnv(env);
        return async (db) => {
          let clientId: string | undefined;
          if (clientRef !== undefined) {
            const found = await findClient(db, clientRef);
            if (!found) throw new CliError(`no client with id or JobRun number ${JSON.stringify(clientRef)}`);
            clientId = found.id;
          }
          const connection = await Connection.connect(temporalConnectionOptions(temporal, temporal.temporal.address!));
          try {
            const client = new Client({ connection, namespace: temporal.temporal.namespace });
            const end = async (workflowId: string) => {
              try {
                await client.workflow.getHandle(workflowId).terminate('customer erasure (jobrun customers forget)');
                return true;
              } catch (err) {
                if (err instanceof WorkflowNotFoundError) return false;
                throw err;
              }
            };
            const r = await forgetCustomer(db, end, phone, clientId);
            return {
              json: r,
              text: [r.clients === 0 ? 'no customer with that number: nothing to forget' : `forgotten: a customer of ${r.clients} client(s); ${r.rows} rows anonymised, ${r.workflowsEnded} running workflow(s) ended without a text`],
            };
          } finally {
            await connection.close();
          }
        };
      },
    },
    find: {
      usage: 'jobrun customers find <E164> [--json]',
      flags: {},
      prepare(args, env) {
        expectPositionals(args, 1, this.usage);
        const phone = parsePhone(args.positionals[0]!, 'phone number');
        const key = searchHashKey(env);
        return async (db) => {
          const found = await findCustomer(db, phone);
          const query = customerSearch(key, phone);
          return {
            json: { query, clients: found },
            text: [
              `search the Temporal Web UI with: ${query}`,
              ...(found.length === 0 ? ['no client has this customer'] : found.map((c) => `customer of ${c.businessName} (${c.clientId}): conversation ${c.conversationWorkflowId}`)),
            ],
          };
        };
      },
    },
  },
};

/** The Twilio account's numbers, when the environment has credentials: where they should point. */
function numberWebhooks(env: NodeJS.ProcessEnv) {
  const config = cliConfig(env, (name) => name.startsWith('TWILIO_') || ['PUBLIC_BASE_URL', 'PORT', 'FALLBACK_BASE_URL'].includes(name));
  if (!config.twilio.accountSid) return null;
  return { base: config.publicBaseUrl, webhooks: createNumberWebhooks(createTwilioClient(config.twilio), wantedWebhooks(config.publicBaseUrl, config.fallbackBaseUrl)) };
}

/** Temporal's address and credentials as the API and the worker read them. */
function temporalFromEnv(env: NodeJS.ProcessEnv) {
  const config = cliConfig(env, (name) => name.startsWith('TEMPORAL_'));
  if (!config.temporal.address) throw new CliError('TEMPORAL_ADDRESS is not set: the customer\'s running conversation must be ended in Temporal');
  return config;
}

/** SEARCH_HASH_KEY as the API and the worker read it. */
function searchHashKey(env: NodeJS.ProcessEnv): string | undefined {
  return cliConfig(env, (name) => name === 'SEARCH_HASH_KEY').searchHashKey;
}

/**
 * The configuration as the API and the worker parse it: all of it (setup),
 * or only the variables a command uses, so that Twilio or OpenAI settings the
 * API would reject do not stop an operator from pausing a client.
 */
function cliConfig(env: NodeJS.ProcessEnv, uses?: (name: string) => boolean): Config {
  const picked = uses ? { ...Object.fromEntries(Object.entries(env).filter(([name]) => uses(name))), TWILIO_SIGNATURE_CHECK: 'off' } : env;
  try {
    return loadConfig(picked);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(`bad configuration: ${err.message}`);
    throw err;
  }
}

function jobLine(j: JobSummary): string {
  return [j.reference, j.businessName, j.urgency, j.progress, j.customerPhone, j.postcode ?? '-', j.createdAt.toISOString()].join('\t');
}

function pauseCommand(paused: boolean): Command {
  const name = paused ? 'pause' : 'resume';
  return {
    usage: `jobrun clients ${name} <client id or JobRun number> [--json]`,
    flags: {},
    prepare(args) {
      const [ref] = expectPositionals(args, 1, this.usage);
      checkClientRef(ref!, 'JobRun number');
      return async (db) => {
        const c = await setPaused(db, ref!, paused);
        const state = paused ? 'paused' : 'resumed';
        const text = c.changed ? `${state} ${c.id} (${c.businessName})` : `${c.id} (${c.businessName}) was already ${state === 'paused' ? 'paused' : 'active'}`;
        return { json: c, text: [text] };
      };
    },
  };
}

/** A client id or JobRun number: a "+..." one is meant as a number, so a malformed one is said to be, not "no such client". */
function checkClientRef(ref: string, label: string): void {
  if (ref.trim().startsWith('+')) parsePhone(ref, label);
}

function clientLine(c: ClientSummary): string {
  return [c.id, c.businessName, c.numbers.join(',') || '-', c.outboundPaused ? 'paused' : 'active'].join('\t');
}

const defaultIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/** Runs one CLI invocation and returns its exit status. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const beforeDashDash = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
    if (argv.length === 0 || beforeDashDash.includes('--help') || beforeDashDash.includes('-h')) {
      io.stdout.write(HELP);
      return 0;
    }
    const [group, sub, ...rest] = argv;
    if (group === 'setup') return await runSetup(argv.slice(1), io);
    if (group === 'keys' && sub === 'new' && rest.length === 0) {
      io.stdout.write(`${newPayloadKeyEntry()}\n`);
      return 0;
    }
    const subs = commands[group!];
    if (!subs) throw new UsageError(`unknown command ${JSON.stringify(group)} (commands: setup, keys new, numbers, clients, customers, jobs; see jobrun --help)`);
    const names = Object.keys(subs).join(', ');
    if (sub === undefined || sub.startsWith('-')) throw new UsageError(`${group} needs a subcommand: ${names}`);
    const command = subs[sub];
    if (!command) throw new UsageError(`unknown command "${group} ${sub}" (${group} has: ${names})`);

    const args = parseFlags(rest, { ...command.flags, json: 'boolean' }, `${group} ${sub}`);
    const work = command.prepare(args, io.env);
    const db = connect(io.env);
    let out: Output;
    try {
      out = await work(db);
    } finally {
      await db.$disconnect().catch(() => undefined);
    }
    if (args.flags.json === true) io.stdout.write(`${JSON.stringify(out.json, null, 2)}\n`);
    else for (const line of out.text) io.stdout.write(`${line}\n`);
    return 0;
  } catch (err) {
    io.stderr.write(`jobrun: ${describe(err)}\n`);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

/** `jobrun setup`: the whole configuration is checked, as the API and the worker will check it. */
async function runSetup(argv: string[], io: CliIo): Promise<number> {
  const args = parseFlags(argv, { json: 'boolean' }, 'setup');
  expectPositionals(args, 0, 'jobrun setup');
  const config = cliConfig(io.env);
  if (!config.databaseUrl) throw new CliError("DATABASE_URL is not set; point it at JobRun's Postgres (postgresql://...)");
  if (!config.temporal.address) throw new CliError('TEMPORAL_ADDRESS is not set; point it at the Temporal frontend (host:7233)');
  const connection = await Connection.connect(temporalConnectionOptions(config, config.temporal.address));
  try {
    const json = args.flags.json === true;
    const outcome = await setup(
      { databaseUrl: config.databaseUrl, temporal: connection, namespace: config.temporal.namespace, cloud: Boolean(config.temporal.apiKey), retentionDays: config.retentionDays },
      (line) => (json ? undefined : io.stdout.write(`${line}\n`)),
    );
    if (json) io.stdout.write(`${JSON.stringify({ ...outcome, namespace: config.temporal.namespace }, null, 2)}\n`);
    return 0;
  } finally {
    await connection.close();
  }
}

function connect(env: NodeJS.ProcessEnv): Db {
  const config = cliConfig(env, (name) => name.startsWith('DATABASE_'));
  if (!config.databaseUrl) throw new CliError('DATABASE_URL is not set; point it at JobRun\'s Postgres (postgresql://...)');
  return createDb(config.databaseUrl, config.databaseStatementTimeoutMs, 2);
}

/** One line, whatever the error: Prisma and pg messages can span several. */
function describe(err: unknown): string {
  if (err instanceof CliError || err instanceof Refusal) return oneLine(err.message);
  const e = err as { message?: unknown; code?: unknown } | null;
  const message = typeof e?.message === 'string' && e.message.trim() !== '' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return `database or internal error${code}: ${oneLine(message)}`;
}

function oneLine(s: string): string {
  const lines = s.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  // Prisma puts the useful part last, after "Invalid `...` invocation in <file>".
  const useful = lines.length > 1 && /^Invalid `/.test(lines[0]!) ? lines[lines.length - 1]! : lines.join(' ');
  return useful.length > 500 ? `${useful.slice(0, 497)}...` : useful;
}
