// `npx jobrun setup`: what an existing Postgres and Temporal need before the
// API and the worker run, idempotent, for every deploy: the migrations, and
// JobRun's search attributes registered in its namespace. `npm start` runs
// the same code against the servers it starts.
import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { migrate } from '../local/migrate';
import { REQUIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';
import { Refusal } from './refusal';

const KEYWORD = 2; // INDEXED_VALUE_TYPE_KEYWORD

export interface SearchAttributesOutcome {
  added: string[];
  present: string[];
}

/**
 * Registers the search attributes a namespace lacks, through Temporal's
 * OperatorService (a self-hosted server, the dev server). Temporal Cloud does
 * not open that service to a namespace's API key: there it only checks, and
 * names the step to take.
 */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string, { cloud }: { cloud: boolean }): Promise<SearchAttributesOutcome> {
  const listed = async () => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};
  const existing = await listed();
  const missing = REQUIRED_SEARCH_ATTRIBUTES.filter((sa) => !(sa.name in existing));
  const present = REQUIRED_SEARCH_ATTRIBUTES.filter((sa) => sa.name in existing).map((sa) => sa.name);
  if (missing.length === 0) return { added: [], present };
  if (cloud) {
    const flags = missing.map((sa) => `--search-attribute "${sa.name}=${sa.type}"`).join(' ');
    throw new Refusal(`namespace ${namespace} lacks the search attributes ${missing.map((m) => m.name).join(', ')}, and Temporal Cloud registers them only from its console or tcld: tcld namespace search-attributes add --namespace ${namespace} ${flags}`);
  }
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((sa) => [sa.name, KEYWORD])) });
  const after = await listed();
  const still = missing.filter((sa) => !(sa.name in after));
  if (still.length > 0) throw new Refusal(`Temporal accepted the search attributes ${still.map((s) => s.name).join(', ')} but does not list them yet; run jobrun setup again in a minute`);
  return { added: missing.map((sa) => sa.name), present };
}

/**
 * Closed workflows' histories kept as long as the database keeps texts
 * (RETENTION_DAYS), so the two promise the same. Temporal Cloud sets it in
 * its console: there it is only said.
 */
async function matchRetention(temporal: Pick<Connection, 'workflowService'>, namespace: string, days: number, cloud: boolean): Promise<string> {
  const described = await temporal.workflowService.describeNamespace({ namespace });
  const seconds = Number(described.config?.workflowExecutionRetentionTtl?.seconds ?? 0);
  if (seconds === days * 86_400) return `namespace ${namespace} keeps closed workflows ${days} days, as RETENTION_DAYS`;
  if (cloud) return `namespace ${namespace} keeps closed workflows ${Math.round(seconds / 86_400)} days; set it to ${days} (RETENTION_DAYS) in Temporal Cloud's console`;
  await temporal.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(days * 86_400_000) } });
  return `namespace ${namespace} now keeps closed workflows ${days} days, as RETENTION_DAYS (was ${Math.round(seconds / 86_400)})`;
}

export async function setup(
  { databaseUrl, temporal, namespace, cloud, retentionDays }: { databaseUrl: string; temporal: Pick<Connection, 'operatorService' | 'workflowService'>; namespace: string; cloud: boolean; retentionDays: number },
  say: (line: string) => void,
): Promise<SearchAttributesOutcome> {
  // Temporal first: a namespace that is not there changes nothing anywhere.
  try {
    await temporal.operatorService.listSearchAttributes({ namespace });
  } catch (err) {
    const message = (err as Error).message;
    if (/not found/i.test(message)) throw new Refusal(`Temporal has no namespace ${namespace}: create it (temporal operator namespace create --namespace ${namespace}) or set TEMPORAL_NAMESPACE; nothing was changed`);
    throw new Refusal(`cannot reach Temporal to check namespace ${namespace}: ${message}; nothing was changed`);
  }
  const started = Date.now();
  migrate(databaseUrl);
  say(`migrations applied (${Date.now() - started} ms)`);
  const outcome = await ensureSearchAttributes(temporal, namespace, { cloud });
  say(
    outcome.added.length > 0
      ? `search attributes registered in namespace ${namespace}: ${outcome.added.join(', ')}`
      : `search attributes already registered in namespace ${namespace}`,
  );
  say(await matchRetention(temporal, namespace, retentionDays, cloud));
  return outcome;
}
