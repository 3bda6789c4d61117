// Workflow IDs. Each is the business key of the work it names, so starting
// the same work twice finds the first run instead of adding a second.

/** One conversation per (client, customer): its turns are serialized by construction. */
export function conversationWorkflowId(clientId: string, customerId: string): string {
  return `conversation:${clientId}:${customerId}`;
}

/** One onboarding per tradesperson's phone (E.164). */
export function onboardingWorkflowId(phone: string): string {
  return `onboarding:${phone}`;
}

/** The marker that the tradesperson pressed 1 on the screening whisper of this call. */
export function callAcceptedWorkflowId(parentCallSid: string): string {
  return `call-accepted:${parentCallSid}`;
}

/** One final delivery state of one outbound SMS: Twilio's repeated callbacks are one workflow. */
export function messageStatusWorkflowId(messageSid: string, status: string): string {
  return `message-status:${messageSid}:${status}`;
}

/** One escalation chain per job, however many texts raise it. */
export function escalationWorkflowId(jobId: string): string {
  return `escalation:${jobId}`;
}
