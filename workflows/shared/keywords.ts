// Reading a whole text as a keyword (STOP, START, CANCEL, YES...), the same
// way wherever it is read: case, punctuation and spacing do not matter, so
// "Stop." and " stop " are STOP.

/** Upper case, letters, digits and single spaces only. */
export function keyword(body: string): string {
  return body
    .toUpperCase()
    .replace(/[^A-Z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

// Twilio's standard opt-out and opt-in keywords (Advanced Opt-Out defaults),
// matched against the whole message as Twilio does.
export const OPT_OUT_WORDS: ReadonlySet<string> = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE', 'STOP ALL', 'OPT OUT']);
export const OPT_IN_WORDS: ReadonlySet<string> = new Set(['START', 'YES', 'UNSTOP']);

export function isOptOut(body: string): boolean {
  return OPT_OUT_WORDS.has(keyword(body));
}
