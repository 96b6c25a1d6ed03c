import { describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { startTestApp } from './support/test-app.js';
import { bornYearsAgo } from './support/builders.js';
import { waitFor } from './support/mail-capture.js';

describe('graceful shutdown', () => {
  it('finishes the requests in flight when the API closes, without waiting for keep-alive connections, and refuses new ones after', async () => {
    const t = await startTestApp({ worker: false });
    const server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const register = (i: number) =>
      fetch(`http://127.0.0.1:${port}/api/v1/auth/register`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          accountType: 'entrant', email: `shutdown-${i}-${Date.now()}@example.com`, password: 'violet-harbour-lantern',
          firstName: 'Amira', lastName: 'Khan', dateOfBirth: bornYearsAgo(15), region: 'london',
        }),
      }).then((r) => r.status);
    let received = 0;
    server.on('request', () => received++);
    const inFlight = Array.from({ length: 12 }, (_, i) => register(i)); // each hashes a password: tens of ms
    await waitFor(() => received === 12, 10_000, 'the requests to reach the server');
    const closing = t.close();
    expect(await Promise.all(inFlight)).toEqual(Array(12).fill(201));
    const started = Date.now();
    await closing;
    expect(Date.now() - started).toBeLessThan(5000); // not the 65 s keep-alive timeout
    await expect(register(99)).rejects.toThrow();
  });
});
