/** ApplicationFailure types that no retry can fix: activities throw them, retry policies stop on them. */
export const FailureType = {
  TwilioPermanent: 'TwilioPermanentError',
  AiPermanent: 'AiPermanentError',
  /** Postgres refused the data (a bad value, a broken constraint). */
  DatabaseData: 'DatabaseDataError',
} as const;
