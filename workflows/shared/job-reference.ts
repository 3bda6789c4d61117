// A job's reference: J and its number within its client (J1, J2, ...), the
// handle every text to the tradesperson about the job carries.

export function jobReference(number: number): string {
  return `J${number}`;
}
