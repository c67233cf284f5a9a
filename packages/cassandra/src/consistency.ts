import cassandra from 'cassandra-driver';

/** A Cassandra consistency level, by its CQL name. */
export type ConsistencyLevelName =
  | 'ANY'
  | 'ONE'
  | 'TWO'
  | 'THREE'
  | 'QUORUM'
  | 'ALL'
  | 'LOCAL_QUORUM'
  | 'EACH_QUORUM'
  | 'LOCAL_ONE';

const { consistencies } = cassandra.types;

const LEVELS: Readonly<Record<ConsistencyLevelName, number>> = {
  ANY: consistencies.any,
  ONE: consistencies.one,
  TWO: consistencies.two,
  THREE: consistencies.three,
  QUORUM: consistencies.quorum,
  ALL: consistencies.all,
  LOCAL_QUORUM: consistencies.localQuorum,
  EACH_QUORUM: consistencies.eachQuorum,
  LOCAL_ONE: consistencies.localOne,
};

/** Whether `name` is a consistency level this adapter accepts. */
export function isConsistencyLevelName(name: unknown): name is ConsistencyLevelName {
  return typeof name === 'string' && Object.hasOwn(LEVELS, name);
}

/** The driver's numeric code of a consistency level. */
export function driverConsistency(name: ConsistencyLevelName): number {
  return LEVELS[name];
}
