/** A phone number in a log line or an operator alert: all but the last three digits hidden. */
export function maskPhone(phone: string | undefined | null): string {
  if (!phone) return '';
  return phone.length <= 3 ? '***' : `${'*'.repeat(phone.length - 3)}${phone.slice(-3)}`;
}
