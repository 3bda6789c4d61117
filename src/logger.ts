// One JSON object a line. Lines about a message carry its workflowId as the
// correlation ID; phone numbers go through maskPhone and bodies stay out of
// info-level lines.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(name: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    name,
    level,
    base: { service: 'jobrun', component: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
}
