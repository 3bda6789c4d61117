import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { callAcceptedWorkflowId } from '../workflows/shared/ids';

/** Whether the tradesperson pressed 1 on the whisper of this call: its marker workflow exists. */
export async function isCallAccepted(temporal: Client, callSid: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(callAcceptedWorkflowId(callSid)).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}
