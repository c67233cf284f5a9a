/** Parameters of the scale-out drill (tooling/drills/README.md, "Scale-out drill"). */
export interface ScaleOutOptions {
  /** Ports of the drill's own Redis Cluster (3 masters + 3 replicas; bus ports are these + 10000). */
  readonly redisPorts: readonly number[];
  /** Redis `cluster-node-timeout`: how long a silent master stays before its replica is promoted, ms. */
  readonly clusterNodeTimeoutMs: number;
  /** Topic partitions (also the view's `source.partitions`). */
  readonly partitions: number;
  /** The server's `engine.deadline`, ms: every read must answer within it + {@link slackMs}. */
  readonly deadlineMs: number;
  /** The allowance over the deadline the drill checks, ms. */
  readonly slackMs: number;
  /** Distinct entities written and read. */
  readonly entities: number;
  /** Feature events produced per second (round robin over the entities, each with the next sequence number). */
  readonly eventsPerSecond: number;
  /** Open-loop reads per second, spread over the servers in rotation. */
  readonly readsPerSecond: number;
  /** The consumers' Kafka session timeout, ms (a killed consumer is noticed after it). */
  readonly sessionTimeoutMs: number;
  /** Phase lengths, ms. */
  readonly baselineMs: number;
  readonly afterConsumerKillMs: number;
  readonly afterMasterKillMs: number;
  /** Requests sent to the server that gets SIGTERM just before the signal (they must all finish). */
  readonly drainBurst: number;
  /** Entities per request of that burst (large enough that the requests are still running at the signal). */
  readonly drainBurstEntities: number;
  /** Longest the drill may run before it stops everything, ms. */
  readonly hardLimitMs: number;
}

export const DEFAULT_SCALE_OUT_OPTIONS: ScaleOutOptions = {
  redisPorts: [31001, 31002, 31003, 31004, 31005, 31006],
  clusterNodeTimeoutMs: 2000,
  partitions: 4,
  deadlineMs: 50,
  slackMs: 5,
  entities: 2000,
  eventsPerSecond: 400,
  readsPerSecond: 200,
  sessionTimeoutMs: 6000,
  baselineMs: 10_000,
  afterConsumerKillMs: 8_000,
  afterMasterKillMs: 12_000,
  drainBurst: 20,
  drainBurstEntities: 200,
  hardLimitMs: 300_000,
};

/** The drill's view: one int64 sequence number per entity, written in order by the feed. */
export const SCALE_OUT_VIEW = 'drill_seq';
