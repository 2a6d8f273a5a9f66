// What one replicate hands back: a table of per-epoch series, the unit of every later aggregation.

/** One observed series: a metric, and the region or destination it belongs to ('' when network-wide). */
export interface SeriesKey {
  metric: string;
  region: string;
}

export interface ReplicateOutput {
  /** replicate index within the experiment (or sweep point) */
  replicate: number;
  /** SHA-256 (hex) over the seeds of the replicate's named random streams */
  seedDigest: string;
  /** number of observed epochs, epoch 0 (the initial state) included */
  epochCount: number;
  /** days elapsed since the start date at each observed epoch */
  daysElapsed: Float64Array;
  /** the series, identical in order for every replicate of one config */
  series: SeriesKey[];
  /** series-major values: series s at epoch e is values[s * epochCount + e] */
  values: Float64Array;
}
