// The image's HEALTHCHECK: exit 0 when GRANARY_HEALTHCHECK_URL answers 2xx within 2 s, else 1.
const url = process.env.GRANARY_HEALTHCHECK_URL ?? 'http://127.0.0.1:8080/readyz';
fetch(url, { signal: AbortSignal.timeout(2000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  () => process.exit(1),
);
