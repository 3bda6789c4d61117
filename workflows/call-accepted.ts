// A marker, nothing more: its existence (ID call-accepted:<CallSid>) records
// that the tradesperson pressed 1 on the screening whisper, so a short
// answered leg is not mistaken for voicemail. Temporal holds it; no database.
export async function callAccepted(): Promise<void> {
  // Completing is the whole job.
}
