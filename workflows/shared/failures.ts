/** ApplicationFailure types that no retry can fix: activities throw them, retry policies stop on them. */
export const FailureType = {
  TwilioPermanent: 'TwilioPermanentError',
  AiPermanent: 'AiPermanentError',
} as const;
