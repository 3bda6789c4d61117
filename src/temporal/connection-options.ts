import { readFileSync } from 'node:fs';
import type { Config } from '../config';

/**
 * How to reach Temporal: plain for the dev server, TLS (optionally mTLS) for
 * a self-hosted cluster, an API key for Temporal Cloud. Shared by the client
 * (API, activities) and the worker's native connection.
 */
export function temporalConnectionOptions(config: Config, address: string) {
  const { tls, clientCert, apiKey } = config.temporal;
  const tlsOption = clientCert
    ? { clientCertPair: { crt: readFileSync(clientCert.certPath), key: readFileSync(clientCert.keyPath) } }
    : tls;
  return { address, tls: tlsOption, ...(apiKey ? { apiKey } : {}) };
}
