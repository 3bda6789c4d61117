// A customer who asks for a person, or to be rung, is handed to the
// tradesperson: JobRun says so once and stops qualifying.

const ASKS_FOR_PERSON = new RegExp(
  [
    String.raw`\b(speak|talk|chat)( to| with) (a |an |the |some |someone )?(real |actual |human |live )?(person|human|someone|somebody|one|plumber|electrician|engineer|locksmith|roofer|owner|manager|boss|tradesman|him|her|them|you personally)\b`,
    String.raw`\b(can|could|will|would|please)( you| someone| somebody| he| she| they)?( please)? (call|ring|phone) (me|us)( back)?\b`,
    String.raw`\b(call|ring|phone) me( back)?( please| asap| now)?\s*[.!?]*\s*$`,
    String.raw`\b(real|actual) (person|human)\b`,
    String.raw`\bnot (a |an )?(bot|robot|machine|computer)\b`,
  ].join('|'),
  'i',
);

export function asksForPerson(body: string): boolean {
  return ASKS_FOR_PERSON.test(body.replace(/[’']/g, ''));
}

export function personHandover(businessName: string): string {
  return `Of course. I've asked ${businessName} to get in touch with you themselves; they have your number.`;
}

export function personAskedNotice(customerPhone: string, reference: string | null, summary: string): string {
  const line = summary.length > 160 ? `${summary.slice(0, 157)}...` : summary;
  return `JobRun${reference ? ` ${reference}` : ''}: the customer on ${customerPhone} asked to speak to a person, so JobRun has stopped replying. "${line}" Please ring or text them.`;
}
