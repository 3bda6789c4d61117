// Failure messages and stack traces travel as an encoded payload, so that the
// payload codec encrypts them like any other: an activity's error can quote a
// phone number. The workflow sandbox (through the bundle), the worker and
// every client load this one converter (DataConverter.failureConverterPath),
// so it imports nothing a workflow may not.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
