/**
 * An operator's request refused, with what to do about it: the CLI prints it
 * as its one `jobrun: ...` line, the console shows it beside the form.
 */
export class Refusal extends Error {
  override name = 'Refusal';
}
