"""Running csfinder for a long time: the scheduler, the supervisor of ``csfinder up``,
status, metrics, logs, progress and signals."""
