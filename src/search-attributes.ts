// Custom search attributes on every JobRun workflow, so that an operator can
// find work by client, number role, urgency or customer (by hash: phone
// numbers stay out of Temporal's visibility store). Pure: workflows import it.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SA = {
  clientId: defineSearchAttributeKey('JobRunClientId', SearchAttributeType.KEYWORD),
  numberRole: defineSearchAttributeKey('JobRunNumberRole', SearchAttributeType.KEYWORD),
  urgency: defineSearchAttributeKey('JobRunUrgency', SearchAttributeType.KEYWORD),
  customerHash: defineSearchAttributeKey('JobRunCustomerHash', SearchAttributeType.KEYWORD),
} as const;

/** What a Temporal namespace must have registered (`temporal operator search-attribute create`). */
export const REQUIRED_SEARCH_ATTRIBUTES: ReadonlyArray<{ name: string; type: 'Keyword' }> = Object.values(SA).map((key) => ({
  name: key.name,
  type: 'Keyword',
}));
