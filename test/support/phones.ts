// Phone numbers for tests. The suite's files share one Postgres and one
// Temporal (workflow IDs such as onboarding:<phone>), and each file runs in a
// process of its own: its process ID keeps its numbers apart from the others'.
const RUN = String(process.pid % 10_000).padStart(4, '0');
let counter = 0;

const next = () => String(++counter).padStart(4, '0');

/**
 * A UK mobile no other test of the run uses: a customer, a caller, a
 * tradesperson. 071 numbers are mobiles whatever their last eight digits,
 * by the phone-number metadata that decides who is texted back.
 */
export function uniqueMobile(): string {
  return `+4471${RUN}${next()}`;
}

/** A JobRun number no other test of the run uses. */
export function poolNumber(): string {
  return `+4477${RUN}${next()}`;
}
