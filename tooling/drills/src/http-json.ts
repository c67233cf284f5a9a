/** Fetches `url` and parses its JSON body; throws on a non-2xx status or after `timeoutMs` (default 2_000). */
export async function getJson(url: string, timeoutMs = 2_000): Promise<unknown> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return await res.json();
}
