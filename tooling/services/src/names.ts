/**
 * What `up` starts when no service is named: the six the normal test suite uses. The production-shaped
 * topologies (`redis-cluster-ha`, `cassandra-ring`), the second DynamoDB implementation (`moto`) and PostgreSQL
 * (`postgres`, for the worked third-party adapter example) are heavier or rarer and started only when named.
 */
export const DEFAULT_SERVICE_NAMES = [
  'redis',
  'redis-cluster',
  'dynalite',
  'kafka',
  'cassandra',
  'toxiproxy',
] as const;

/** The services this tool manages, in the order they are listed and started. */
export const SERVICE_NAMES = [
  ...DEFAULT_SERVICE_NAMES,
  'redis-cluster-ha',
  'cassandra-ring',
  'moto',
  'postgres',
] as const;

export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/**
 * Validates a list of service names (from the command line, an environment variable or a config).
 * An empty list means `whenEmpty` (default: every service). Duplicates are dropped; unknown names throw.
 */
export function parseServiceNames(
  values: readonly string[],
  whenEmpty: readonly ServiceName[] = SERVICE_NAMES,
): ServiceName[] {
  const names: ServiceName[] = [];
  for (const raw of values) {
    const value = raw.trim();
    if (value === '') continue;
    if (!isServiceName(value)) {
      throw new Error(`unknown service "${value}"; known services: ${SERVICE_NAMES.join(', ')}`);
    }
    if (!names.includes(value)) names.push(value);
  }
  return names.length === 0 ? [...whenEmpty] : names;
}
