import { once } from 'node:events';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createToxiproxyProxy,
  defaultToxiproxyUrl,
  type ToxiproxyProxy,
  toxiproxyFaults,
} from '../src/toxiproxy/index.js';

// Against the real Toxiproxy (GRANARY_TOXIPROXY_URL; `pnpm services up toxiproxy` starts it) in front of a
// local echo server: each fault is checked by what a client sees, or by what Toxiproxy reports.
const echo = net.createServer((s) => {
  s.on('error', () => {}); // The proxy resetting or cutting it is the point of these tests.
  s.pipe(s);
});
let proxies: ToxiproxyProxy[] = [];

/** Sends `text` through the proxy; resolves with the echo, or rejects with the socket's error or closing. */
function roundTrip(p: ToxiproxyProxy, text = 'ping'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(p.port, p.host, () => socket.write(text));
    socket.once('data', (d) => {
      resolve(d.toString());
      socket.destroy();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('closed without an answer')));
  });
}

const toxicsOf = async (p: ToxiproxyProxy) =>
  (await (await fetch(`${defaultToxiproxyUrl()}/proxies/${p.name}/toxics`)).json()) as {
    type: string;
    attributes: Record<string, number>;
  }[];

beforeAll(async () => {
  echo.listen(0, '127.0.0.1');
  await once(echo, 'listening');
  const { port } = echo.address() as net.AddressInfo;
  try {
    proxies = await Promise.all(
      [0, 1].map((i) =>
        createToxiproxyProxy({
          name: `granary-conformance-selftest-${process.pid}-${i}`,
          upstream: `127.0.0.1:${port}`,
        }),
      ),
    );
  } catch (e) {
    throw new Error(
      `Toxiproxy is not reachable at ${defaultToxiproxyUrl()}: start it (pnpm services up toxiproxy)`,
      {
        cause: e,
      },
    );
  }
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.remove()));
  echo.close();
});

describe('toxiproxyFaults', () => {
  const first = () => proxies[0] as ToxiproxyProxy;

  it('passes traffic through untouched while no fault is injected', async () => {
    expect(await roundTrip(first())).toBe('ping');
  });

  it('unavailable refuses connections until restored', async () => {
    const restore = await first().faults.unavailable?.();
    await expect(roundTrip(first())).rejects.toThrow();
    await restore?.();
    expect(await roundTrip(first())).toBe('ping');
  });

  it('reset resets connections as soon as a request is sent, until restored', async () => {
    const restore = await first().faults.reset?.();
    await expect(roundTrip(first())).rejects.toThrow();
    await restore?.();
    expect(await roundTrip(first())).toBe('ping');
  });

  it('latency and blackhole install their toxics and remove them on restore', async () => {
    const restoreLatency = await first().faults.latency?.(250);
    expect(await toxicsOf(first())).toMatchObject([{ type: 'latency', attributes: { latency: 250 } }]);
    expect(await roundTrip(first())).toBe('ping');
    await restoreLatency?.();
    const restoreBlackhole = await first().faults.blackhole?.();
    expect(await toxicsOf(first())).toMatchObject([{ type: 'timeout', attributes: { timeout: 0 } }]);
    await restoreBlackhole?.();
    expect(await toxicsOf(first())).toEqual([]);
    expect(await roundTrip(first())).toBe('ping');
  });

  it('applies a fault to every named proxy (every node of a cluster)', async () => {
    const both = toxiproxyFaults({ proxy: proxies.map((p) => p.name) });
    const restore = await both.unavailable?.();
    for (const p of proxies) await expect(roundTrip(p)).rejects.toThrow();
    await restore?.();
    for (const p of proxies) expect(await roundTrip(p)).toBe('ping');
  });
});
