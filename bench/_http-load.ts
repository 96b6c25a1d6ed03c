// A small HTTP load generator for the benchmarks (a helper: bench/run.mjs skips files starting with "_").
// It runs in a worker thread, so it does not share the event loop of a server under test in the main
// thread; it keeps `connections` keep-alive connections busy on loopback, bounded in request count and in
// time, after a warm-up, and counts only correct answers (status 200 and the expected body length).
import http from 'node:http';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

export interface LoadJob {
  port: number;
  paths: string[];
  /** Expected body length of each path. */
  lengths: number[];
  connections: number;
  requests: number;
  seconds: number;
  warmup: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  latencyMs: number[];
  /** Busy time of the main thread's event loop (the server under test) per answer, in microseconds. */
  serverMicrosPerRequest: number;
}

const KIND = 'yi-bench-http-load';

async function generate(job: LoadJob): Promise<Omit<LoadResult, 'serverMicrosPerRequest'>> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections, maxFreeSockets: job.connections });
  const fetchOnce = (i: number): Promise<{ ok: boolean; ms: number }> =>
    new Promise((resolve) => {
      const k = i % job.paths.length;
      const start = performance.now();
      const req = http.get({ host: '127.0.0.1', port: job.port, path: job.paths[k], agent }, (res) => {
        let length = 0;
        res.on('data', (chunk: Buffer) => (length += chunk.length));
        res.on('end', () => resolve({ ok: res.statusCode === 200 && length === job.lengths[k], ms: performance.now() - start }));
      });
      req.on('error', () => resolve({ ok: false, ms: performance.now() - start }));
    });
  const run = async (requests: number, seconds: number) => {
    let next = 0;
    let ok = 0;
    let failed = 0;
    const latencyMs: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: job.connections }, async () => {
        while (next < requests && performance.now() < deadline) {
          const result = await fetchOnce(next++);
          if (result.ok) ok++;
          else failed++;
          latencyMs.push(result.ms);
        }
      }),
    );
    const elapsed = (performance.now() - start) / 1000;
    return { ok, failed, seconds: elapsed, perSecond: ok / elapsed, latencyMs };
  };
  await run(job.warmup, 5); // JIT, connections, caches
  parentPort!.postMessage({ measuring: true });
  const result = await run(job.requests, job.seconds);
  agent.destroy();
  return result;
}

if (!isMainThread && workerData?.kind === KIND) {
  generate(workerData.job as LoadJob).then((result) => parentPort!.postMessage({ result }));
}

/**
 * One load phase from a worker thread. A server under test in this process's main thread is measured by
 * its event loop utilisation over the measured part: what serving cost, whatever the load generator's
 * own ceiling (on a 2-core machine a single client thread can saturate before a fast server does).
 */
export function runLoad(job: LoadJob): Promise<LoadResult> {
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { kind: KIND, job } });
  let start: EventLoopUtilization | undefined;
  return new Promise((resolve, reject) => {
    worker.on('message', (message: { measuring: true } | { result: Omit<LoadResult, 'serverMicrosPerRequest'> }) => {
      if ('measuring' in message) {
        start = performance.eventLoopUtilization();
        return;
      }
      const busyMs = performance.eventLoopUtilization(start).active;
      const { result } = message;
      void worker.terminate();
      resolve({ ...result, serverMicrosPerRequest: (busyMs * 1000) / Math.max(1, result.ok + result.failed) });
    });
    worker.once('error', reject);
  });
}
