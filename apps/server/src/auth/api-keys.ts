import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@granary/core';
import { parse } from 'yaml';
import type { AuthConfig, Scope } from '../config/server-config.js';

/** A loaded API key: only the SHA-256 of the secret is kept in memory. */
export interface LoadedApiKey {
  readonly name: string;
  readonly scopes: ReadonlySet<Scope>;
  readonly hash: Buffer;
}

/** Checks presented keys against the configured ones. */
export interface ApiKeyVerifier {
  /** The key matching `presented`, or undefined. Compares every configured key in constant time. */
  verify(presented: string): LoadedApiKey | undefined;
  /** Number of configured keys. */
  readonly size: number;
}

const MIN_KEY_LENGTH = 16;
const SCOPES: readonly Scope[] = ['read', 'write', 'admin'];

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Creates a verifier over `keys`. `verify` hashes the presented key and compares it with every configured
 * hash using `crypto.timingSafeEqual`, without stopping at the first match, so neither the content nor the
 * position of a key leaks through timing. `compare` is injectable for tests (default: timingSafeEqual).
 */
export function createApiKeyVerifier(
  keys: readonly LoadedApiKey[],
  compare: (a: Buffer, b: Buffer) => boolean = timingSafeEqual,
): ApiKeyVerifier {
  return {
    size: keys.length,
    verify(presented) {
      const hash = sha256(presented);
      let found: LoadedApiKey | undefined;
      for (const key of keys) {
        if (compare(hash, key.hash) && found === undefined) found = key;
      }
      return found;
    },
  };
}

function checkSecret(secret: string | undefined, where: string, path: string): string {
  const value = secret?.trim();
  if (!value) throw new ConfigError(`${where} is empty or not set`, path);
  if (value.length < MIN_KEY_LENGTH) {
    throw new ConfigError(`${where} holds a key shorter than ${MIN_KEY_LENGTH} characters`, path);
  }
  return value;
}

async function readSecretFile(file: string, path: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new ConfigError(
      `cannot read the secret file ${file}: ${(cause as Error).message}`,
      path,
      undefined,
      { cause },
    );
  }
}

/**
 * Loads the API keys of `auth`: each `keys[i]` from its environment variable (`secretEnv`) or file
 * (`secretFile`), and every entry of `keysFile` (a YAML/JSON list of `{ name, scopes, key }`). Secrets are
 * hashed at once; error messages name the variable or file, never the secret. Throws a ConfigError.
 */
export async function loadApiKeys(
  auth: AuthConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<LoadedApiKey[]> {
  const out: LoadedApiKey[] = [];
  const names = new Set<string>();
  const add = (name: string, scopes: readonly string[], secret: string, path: string) => {
    if (names.has(name)) throw new ConfigError(`duplicate API key name "${name}"`, path);
    names.add(name);
    out.push({ name, scopes: new Set(scopes as Scope[]), hash: sha256(secret) });
  };
  for (const [i, k] of auth.keys.entries()) {
    const path = `auth.keys[${i}]`;
    const secret =
      k.secretEnv !== undefined
        ? checkSecret(env[k.secretEnv], `environment variable ${k.secretEnv}`, `${path}.secretEnv`)
        : checkSecret(
            await readSecretFile(k.secretFile as string, `${path}.secretFile`),
            `file ${k.secretFile}`,
            `${path}.secretFile`,
          );
    add(k.name, k.scopes, secret, path);
  }
  if (auth.keysFile !== undefined) {
    const file = auth.keysFile;
    let list: unknown;
    try {
      list = parse(await readSecretFile(file, 'auth.keysFile'));
    } catch (cause) {
      if (cause instanceof ConfigError) throw cause;
      throw new ConfigError('invalid YAML', '', file, { cause });
    }
    if (!Array.isArray(list)) throw new ConfigError('must be a list of { name, scopes, key }', '', file);
    for (const [i, entry] of list.entries()) {
      const e = (entry ?? {}) as Record<string, unknown>;
      const path = `[${i}]`;
      if (typeof e.name !== 'string' || e.name === '')
        throw new ConfigError('name must be a non-empty string', `${path}.name`, file);
      const scopes = e.scopes;
      if (
        !Array.isArray(scopes) ||
        scopes.length === 0 ||
        !scopes.every((x) => SCOPES.includes(x as Scope))
      ) {
        throw new ConfigError(
          'scopes must be a non-empty list of read, write, admin',
          `${path}.scopes`,
          file,
        );
      }
      const unknown = Object.keys(e).find((k) => !['name', 'scopes', 'key'].includes(k));
      if (unknown)
        throw new ConfigError(
          `unknown key "${unknown}"; allowed: name, scopes, key`,
          `${path}.${unknown}`,
          file,
        );
      const secret = checkSecret(
        typeof e.key === 'string' ? e.key : undefined,
        `${file} ${path}.key`,
        `${path}.key`,
      );
      add(e.name, scopes as string[], secret, path);
    }
  }
  return out;
}

/** Whether a key with `scopes` may use an endpoint requiring `needed` (`admin` grants every scope). */
export function hasScope(scopes: ReadonlySet<Scope>, needed: Scope): boolean {
  return scopes.has('admin') || scopes.has(needed);
}
