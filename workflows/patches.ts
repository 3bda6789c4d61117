import { patched } from '@temporalio/workflow';

/**
 * Asks about every patch a workflow has, once, when a run starts. sdk-core
 * cannot replay a patch first asked about just after a local activity when a
 * query came with that workflow task: it answers the query, sends the
 * activity's marker and takes the rest in a new task, and on replay resolves
 * the activity in the first task, where the later task's patch is not yet
 * known, failing it as non-deterministic. Asked before any activity, a patch
 * is known for the whole run (later calls give the same answer and record
 * nothing). Runs from before this ask as they go, as they always did; a new
 * patch goes in the workflow's list.
 */
export function askPatchesAtStart(ids: readonly string[]): void {
  if (patched('patches-at-start')) for (const id of ids) patched(id);
}
