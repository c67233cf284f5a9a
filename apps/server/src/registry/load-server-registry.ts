import { ConfigError, loadRegistryFile, parseRegistry, type Registry } from '@granary/core';
import { stringify } from 'yaml';
import type { ServerConfig } from '../config/server-config.js';
import { createDemoRegistry } from '../demo/demo-registry.js';

/**
 * The registry named by the config: the demo registry, a registry file (YAML or JSON), or an inline
 * document (`registry.inline: { entities, views }`, validated like a file; errors say `config registry.inline`).
 */
export async function loadServerRegistry(config: ServerConfig['registry']): Promise<Registry> {
  if (config.demo) return createDemoRegistry();
  if (config.path !== undefined) return loadRegistryFile(config.path);
  if (config.inline !== undefined)
    return parseRegistry(stringify(config.inline), { file: 'config registry.inline' });
  throw new ConfigError('give exactly one of path, inline or demo: true', 'registry');
}
