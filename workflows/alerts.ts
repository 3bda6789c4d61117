import { ApplicationFailure, isCancellation, workflowInfo } from '@temporalio/workflow';
import type { AlertInput } from './shared/types';
import { alerts } from './activity-options';

/**
 * Raises an operator alert from a workflow step. An alert that still cannot
 * be delivered after its retries must not take the customer's path down with
 * it: the failure is in the history and the logs.
 */
export async function alertOperator(step: string, alert: Omit<AlertInput, 'sourceKey'>): Promise<void> {
  try {
    await alerts.alertOperator({ ...alert, sourceKey: `${workflowInfo().workflowId}:${step}` });
  } catch (err) {
    if (isCancellation(err)) throw err;
  }
}

/** A short, phone-free description of why an activity gave up. */
export function describeFailure(err: unknown): string {
  // An activity's failure wraps the ApplicationFailure it threw; a local activity's may be that failure itself.
  const cause = (err as { cause?: unknown }).cause;
  const failure = err instanceof ApplicationFailure ? err : cause instanceof ApplicationFailure ? cause : null;
  if (failure) return `${failure.type ?? 'error'}: ${failure.message}`;
  return (err as Error).message ?? String(err);
}
