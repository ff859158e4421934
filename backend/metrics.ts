import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a review ended; the label values of reviews_total. */
export type ReviewOutcome = 'patched' | 'unchanged' | 'denied' | 'invalid' | 'error';

// One registry per app instance (not prom-client's global one), so tests can run several
// servers in one process without metric name clashes.
export class Metrics {
  readonly registry = new Registry();
  readonly reviews = new Counter({
    name: 'userns_webhook_reviews_total',
    help: 'Admission reviews answered, by outcome and decision source',
    labelNames: ['outcome', 'source'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'userns_webhook_review_duration_seconds',
    help: 'Time from the full request body to the answer',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Read at scrape time, so the gauge can never lag the policy actually in use. */
  policyGenerationSource: () => number = () => 0;
  readonly policyGeneration: Gauge;
  readonly policyValid = new Gauge({
    name: 'userns_webhook_policy_valid',
    help: '1 when the latest BuildPolicy seen is valid, 0 when the last good one is kept instead',
    registers: [this.registry],
  });
  readonly lookups = new Counter({
    name: 'userns_webhook_metadata_lookups_total',
    help: 'Build/BuildConfig metadata lookups on the request path, by kind and result',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });

  readonly certificateExpiry = new Gauge({
    name: 'userns_tls_certificate_expiry_timestamp_seconds',
    help: 'Unix time at which the serving certificate in use expires',
    registers: [this.registry],
  });
  /** Read at scrape time: pods waiting for or in judgement. */
  recorderBacklogSource: () => number = () => 0;
  readonly recorderBacklog: Gauge;
  readonly recorderWrites = new Counter({
    name: 'userns_recorder_judgements_total',
    help: 'Build pods judged by the verdict recorder, by result (written, unchanged, skipped, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly privilegedUnderRequired = new Counter({
    name: 'userns_recorder_privileged_under_required_total',
    help: 'Builds recorded Privileged although the policy in force requires user namespaces for them',
    registers: [this.registry],
  });
  readonly recorderLeader = new Gauge({
    name: 'userns_recorder_leader',
    help: '1 while this replica holds the recorder Lease and writes verdicts, else 0',
    registers: [this.registry],
  });

  constructor(opts: { processMetrics?: boolean } = {}) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- prom-client binds `this` in collect
    const metrics = this;
    this.policyGeneration = new Gauge({
      name: 'userns_webhook_policy_generation',
      help: 'metadata.generation of the BuildPolicy in effect (0: none)',
      registers: [this.registry],
      collect() {
        this.set(metrics.policyGenerationSource());
      },
    });
    this.recorderBacklog = new Gauge({
      name: 'userns_recorder_backlog',
      help: 'Build pods waiting for the verdict recorder or being judged',
      registers: [this.registry],
      collect() {
        this.set(metrics.recorderBacklogSource());
      },
    });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
