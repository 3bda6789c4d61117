import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config';
import { temporalConnectionOptions } from './connection-options';
import { FAILURE_CONVERTER_PATH } from './bundle';
import { EncryptionCodec } from './payload-encryption';

/** The same converter on every client and worker, or payloads written by one could not be read by another. */
export function temporalDataConverter(config: Pick<Config, 'payloadEncryption'>): DataConverter {
  const encryption = config.payloadEncryption;
  return { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: encryption.mode === 'on' ? [new EncryptionCodec(encryption.keys)] : [] };
}

/**
 * A lazy connection: the API starts (and answers /health as down) even when
 * Temporal is not there yet, and each call is bounded by its own deadline.
 */
export function createTemporalClient(config: Config, address: string): Client {
  const connection = Connection.lazy(temporalConnectionOptions(config, address));
  return new Client({ connection, namespace: config.temporal.namespace, dataConverter: temporalDataConverter(config) });
}

/** Rejects after `ms`, whatever the gRPC layer is still retrying underneath. */
export async function withTimeout<T>(ms: number, what: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
