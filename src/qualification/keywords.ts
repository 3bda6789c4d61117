// Twilio's standard opt-out and opt-in keywords (Advanced Opt-Out defaults),
// matched against the whole message as Twilio does. Pure data: the workflow
// bundle imports it.
export const OPT_OUT_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', 'STOP ALL', 'OPT OUT']);
export const OPT_IN_WORDS = new Set(['START', 'YES', 'UNSTOP']);
