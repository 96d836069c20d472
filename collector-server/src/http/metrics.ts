/**
 * A small Prometheus text-format registry (counters and histograms with labels). Hand-written to
 * keep the collector's dependencies few; the exposition format is stable and simple.
 */
type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const labelText = (labels: Labels) => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
};
// Callers pass labels in a fixed order, so insertion order is a stable key.
const keyOf = (labels: Labels) => {
  let key = '';
  for (const k in labels) key += `${k}\u0000${labels[k]}\u0001`;
  return key;
};

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1): void {
    const key = keyOf(labels);
    const entry = this.values.get(key);
    if (entry === undefined) this.values.set(key, { labels, value: by });
    else entry.value += by;
  }

  get(labels: Labels = {}): number {
    return this.values.get(keyOf(labels))?.value ?? 0;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Histogram {
  private readonly series = new Map<
    string,
    { labels: Labels; counts: number[]; sum: number; count: number }
  >();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}

  observe(labels: Labels, value: number): void {
    const key = keyOf(labels);
    let s = this.series.get(key);
    if (s === undefined) {
      s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    for (let i = 0; i < this.buckets.length; i++) {
      if (value <= (this.buckets[i] ?? Infinity)) s.counts[i] = (s.counts[i] ?? 0) + 1;
    }
    s.sum += value;
    s.count++;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) =>
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(le) })} ${s.counts[i] ?? 0}`),
      );
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

/** The collector's metrics. Other modules may add their own with `register`. */
export class CollectorMetrics {
  readonly capturesReceived = new Counter('kestrel_captures_received_total', 'Captures stored, by category.');
  readonly capturesDuplicate = new Counter(
    'kestrel_captures_duplicate_total',
    'Captures resent with a captureId already stored (answered 200, nothing stored).',
  );
  readonly requestsRejected = new Counter(
    'kestrel_requests_rejected_total',
    'Requests answered with an error, by code.',
  );
  readonly heartbeats = new Counter('kestrel_heartbeats_total', 'Heartbeats recorded.');
  readonly enrolments = new Counter('kestrel_enrolments_total', 'Devices enrolled.');
  readonly requestDuration = new Histogram(
    'kestrel_http_request_duration_seconds',
    'HTTP request durations, by method, route and status class.',
    [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  );
  private readonly extra: { render(): string }[] = [];

  register(metric: { render(): string }): void {
    this.extra.push(metric);
  }

  render(): string {
    const mem = process.memoryUsage();
    const process_ = [
      '# HELP kestrel_process_resident_memory_bytes Resident set size.',
      '# TYPE kestrel_process_resident_memory_bytes gauge',
      `kestrel_process_resident_memory_bytes ${mem.rss}`,
      '# HELP kestrel_process_heap_used_bytes JavaScript heap in use.',
      '# TYPE kestrel_process_heap_used_bytes gauge',
      `kestrel_process_heap_used_bytes ${mem.heapUsed}`,
      '# HELP kestrel_process_external_bytes Memory held outside the JavaScript heap by buffers and native objects.',
      '# TYPE kestrel_process_external_bytes gauge',
      `kestrel_process_external_bytes ${mem.external}`,
      '# HELP kestrel_event_loop_busy_seconds_total Time the event loop spent running callbacks; its rate near 1 means the main thread is the bottleneck.',
      '# TYPE kestrel_event_loop_busy_seconds_total counter',
      `kestrel_event_loop_busy_seconds_total ${performance.eventLoopUtilization().active / 1000}`,
      '# HELP kestrel_process_uptime_seconds Seconds since the process started.',
      '# TYPE kestrel_process_uptime_seconds gauge',
      `kestrel_process_uptime_seconds ${process.uptime()}`,
    ].join('\n');
    return (
      [
        this.capturesReceived,
        this.capturesDuplicate,
        this.requestsRejected,
        this.heartbeats,
        this.enrolments,
        this.requestDuration,
        ...this.extra,
      ]
        .map((m) => m.render())
        .join('\n') +
      '\n' +
      process_ +
      '\n'
    );
  }
}
