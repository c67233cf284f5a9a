import type { Registry } from '@granary/core';
import type { ServerConfig } from '../config/server-config.js';

/** A first request that works against this server's registry: the first view's first two features, entity 1. */
export function exampleRequest(registry: Registry): {
  features: string[];
  entities: Record<string, string | number>[];
} {
  const view = [...registry.views.values()].find((v) => v.name !== 'granary_heartbeat');
  if (!view) return { features: [], entities: [] };
  const key: Record<string, string | number> = {};
  for (const jk of view.entity.joinKeys)
    key[jk.name] = jk.type === 'int64' ? 1 : jk.type === 'bytes' ? 'AQ==' : '1';
  return { features: view.features.slice(0, 2).map((f) => `${view.name}:${f.name}`), entities: [key] };
}

/** The lines printed after the server listens: the URL, the docs, and a curl command that works as printed. */
export function startupBanner(url: string, config: ServerConfig, registry: Registry): string {
  const body = JSON.stringify(exampleRequest(registry));
  const auth = config.auth.mode === 'none' ? '' : " -H 'authorization: Bearer $GRANARY_API_KEY'";
  const lines = [
    '',
    `Granary feature server listening on ${url}`,
    `  store: ${config.store.type}${config.store.secondary ? ` (secondary: ${config.store.secondary.type})` : ''}${config.demo.enabled ? ' (demo feed running)' : ''}; auth: ${config.auth.mode}`,
    `  status page: ${url}/`,
    ...(config.server.docs ? [`  OpenAPI: ${url}/openapi.json`] : []),
    '',
    'Try:',
    `  curl -s -X POST ${url}/v1/features -H 'content-type: application/json'${auth} -d '${body}'`,
    ...(config.demo.enabled
      ? [
          `  curl -s ${url}/v1/freshness${auth}`,
          `  curl -s -X POST ${url}/v1/demo/lag -H 'content-type: application/json'${auth} -d '{"seconds":300}'`,
        ]
      : []),
    '',
  ];
  return lines.join('\n');
}
