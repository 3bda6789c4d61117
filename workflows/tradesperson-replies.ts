// What JobRun texts back to the tradesperson's commands.
import type { CloseOutcome, RelayOutcome, TakeOutcome } from '../activities/tradesperson';
import type { TradespersonCommand } from './tradesperson-commands';

export const COMMANDS_HELP =
  'JobRun commands: J12 takes job J12 (1 takes your latest); J12 <message> texts its customer and takes the conversation over, J12 BOT hands it back; J12 DONE closes it; PAUSE / RESUME stop and start JobRun answering your customers; HELP shows this.';

export const NOT_A_COMMAND = "JobRun didn't recognise that. Text HELP for the commands.";

export function pauseReply(paused: boolean, changed: boolean, ownerPhone: string): string {
  if (paused) {
    return changed
      ? `JobRun is paused: customers who text now are asked to ring you on ${ownerPhone}. Text RESUME to turn it back on.`
      : 'JobRun was already paused. Text RESUME to turn it back on.';
  }
  return changed ? 'JobRun is back on: it answers your customers again.' : 'JobRun was already on.';
}

export function takeReply(command: Extract<TradespersonCommand, { kind: 'take' }>, r: TakeOutcome): string {
  switch (r.outcome) {
    case 'taken':
      return `${r.reference} is yours. The customer is on ${r.customerPhone}.`;
    case 'already-taken':
      return `${r.reference} was already taken. The customer is on ${r.customerPhone}.`;
    case 'done':
      return `${r.reference} is closed already. The customer is on ${r.customerPhone}.`;
    case 'none-open':
      return 'You have no job waiting to be taken.';
    case 'no-such-job':
      return `There is no job J${'number' in command.job ? command.job.number : ''}. Text HELP for the commands.`;
  }
}

export function closeReply(number: number, r: CloseOutcome): string {
  switch (r.outcome) {
    case 'closed':
      return `${r.reference} is closed.`;
    case 'already-done':
      return `${r.reference} was already closed.`;
    case 'no-such-job':
      return `There is no job J${number}. Text HELP for the commands.`;
  }
}

/** Only a refusal: a relay or BOT that went through is confirmed by the conversation itself. */
export function relayRefusal(number: number, r: RelayOutcome): string | null {
  switch (r.outcome) {
    case 'handed':
      return null;
    case 'done':
      return `${r.reference} is closed, so nothing was sent. Text the customer directly if you need to.`;
    case 'no-such-job':
      return `There is no job J${number}, so nothing was sent. Text HELP for the commands.`;
  }
}

export function takenOver(reference: string, customerPhone: string): string {
  return `Sent to ${customerPhone}. JobRun stays quiet in ${reference} and passes on their texts until you text ${reference} BOT, or for a day after your last text.`;
}

export function handedBack(reference: string, customerPhone: string): string {
  return `JobRun is answering ${reference}'s customer (${customerPhone}) again.`;
}
