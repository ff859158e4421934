import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** How a review ended; the label values of reviews_total. */
export type ReviewOutcome = 'patched' | 'unchanged' | 'denied' | 'invalid' | 'error';

// One registry per app instance (not prom-client's global one), so tests can run several
// servers in one process without metric name clashes.
export class Metrics {
  readonly registry = new Registry();
  readonly reviews = this.counter(
    'userns_webhook_reviews_total',
    'Admission reviews answered, by outcome and decision source',
    ['outcome', 'source'] as const,
  );
  readonly latency = new Histogram({
    name: 'userns_webhook_review_duration_seconds',
    help: 'Time from the full request body to the answer',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  /** Read at scrape time, so the gauge can never lag the policy actually in use. */
  policyGenerationSource: () => number = () => 0;
  readonly policyGeneration = this.gauge(
    'userns_webhook_policy_generation',
    'metadata.generation of the BuildPolicy in effect (0: none)',
    () => this.policyGenerationSource(),
  );
  readonly policyValid = this.gauge(
    'userns_webhook_policy_valid',
    '1 when the latest BuildPolicy seen is valid, 0 when the last good one is kept instead',
  );
  readonly lookups = this.counter(
    'userns_webhook_metadata_lookups_total',
    'Build/BuildConfig metadata lookups on the request path, by kind and result',
    ['kind', 'result'] as const,
  );
  readonly certificateExpiry = this.gauge(
    'userns_tls_certificate_expiry_timestamp_seconds',
    'Unix time at which the serving certificate in use expires',
  );
  /** Read at scrape time: pods waiting for or in judgement. */
  recorderBacklogSource: () => number = () => 0;
  readonly recorderBacklog = this.gauge(
    'userns_recorder_backlog',
    'Build pods waiting for the verdict recorder or being judged',
    () => this.recorderBacklogSource(),
  );
  readonly recorderWrites = this.counter(
    'userns_recorder_judgements_total',
    'Build pods judged by the verdict recorder, by result (written, unchanged, skipped, failed)',
    ['result'] as const,
  );
  readonly privilegedUnderRequired = this.counter(
    'userns_recorder_privileged_under_required_total',
    'Builds recorded Privileged although the policy in force requires user namespaces for them',
  );
  readonly recorderLeader = this.gauge(
    'userns_recorder_leader',
    '1 while this replica holds the recorder Lease and writes verdicts, else 0',
  );

  constructor(opts: { processMetrics?: boolean } = {}) {
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  private counter<L extends string = never>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
  ): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  /** `read`, when given, sets the gauge at every scrape. */
  private gauge(name: string, help: string, read?: () => number): Gauge {
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      ...(read
        ? {
            collect(this: Gauge) {
              this.set(read());
            },
          }
        : {}),
    });
  }
}
