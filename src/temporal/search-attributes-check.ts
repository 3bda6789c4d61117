import type { Client } from '@temporalio/client';
import { ConfigError } from '../config';
import { REQUIRED_SEARCH_ATTRIBUTES } from '../../workflows/shared/search-attributes';

/**
 * A workflow that sets an unregistered search attribute fails every
 * workflow task: the worker refuses to start instead, naming the fix.
 */
export async function assertSearchAttributesRegistered(temporal: Client, namespace: string): Promise<void> {
  const { customAttributes } = await temporal.connection.operatorService.listSearchAttributes({ namespace });
  const missing = REQUIRED_SEARCH_ATTRIBUTES.filter((sa) => !(sa.name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  const create = missing.map((sa) => `--name ${sa.name} --type ${sa.type}`).join(' ');
  throw new ConfigError(
    `TEMPORAL_NAMESPACE: search attributes ${missing.map((m) => m.name).join(', ')} are not registered in namespace ${namespace}; run: npx jobrun setup (or temporal operator search-attribute create --namespace ${namespace} ${create})`,
  );
}
