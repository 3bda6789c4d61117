import http from 'node:http';
import { metricsAllowed, type Metrics } from '../metrics';

/** GET /metrics for a process without the API (a lone worker), behind METRICS_TOKEN as the API's is. */
export async function serveMetrics(metrics: Metrics, port: number, token: string | undefined): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (!metricsAllowed(token, req.headers.authorization)) {
      res.writeHead(401, { 'www-authenticate': 'Bearer' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return server;
}
