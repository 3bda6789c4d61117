// Custom search attributes on every JobRun workflow, so that an operator can
// find work by client, number role, urgency or customer (by hash: phone
// numbers stay out of Temporal's visibility store). The keys are written as
// the plain objects that defineSearchAttributeKey returns, so that the
// sandbox needs nothing beyond @temporalio/workflow at run time.
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

const keyword = <N extends string>(name: N) => ({ name, type: 'KEYWORD' }) as const satisfies SearchAttributeKey<'KEYWORD'>;

export const SA = {
  clientId: keyword('JobRunClientId'),
  numberRole: keyword('JobRunNumberRole'),
  urgency: keyword('JobRunUrgency'),
  customerHash: keyword('JobRunCustomerHash'),
} as const;

/** What a Temporal namespace must have registered (`temporal operator search-attribute create`). */
export const REQUIRED_SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; type: 'Keyword' }> = Object.values(SA).map((key) => ({
  name: key.name,
  type: 'Keyword',
}));
