import type { Attributes } from '@opentelemetry/api';
import {
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { useTelemetry } from '../../src/telemetry/telemetry.js';

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Installs the SDK with in-memory readers, so tests can see what the bot recorded. */
export class TelemetryRecorder {
  readonly spans = new InMemorySpanExporter();
  private readonly reader = new CollectingReader();
  private readonly uninstall: () => void;

  constructor() {
    const meterProvider = new MeterProvider({ readers: [this.reader] });
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(this.spans)],
    });
    this.uninstall = useTelemetry({ meterProvider, tracerProvider });
  }

  async metric(name: string): Promise<MetricData | undefined> {
    const { resourceMetrics } = await this.reader.collect();
    return resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === name);
  }

  /**
   * The sum of a counter, or the number of recordings of a histogram, over the data points whose
   * attributes include `match`.
   */
  async count(name: string, match: Attributes = {}): Promise<number> {
    const metric = await this.metric(name);
    if (!metric) return 0;
    let total = 0;
    for (const point of metric.dataPoints) {
      const attributes = point.attributes;
      if (!Object.entries(match).every(([key, value]) => attributes[key] === value)) continue;
      total +=
        metric.dataPointType === DataPointType.HISTOGRAM
          ? (point.value as { count: number }).count
          : (point.value as number);
    }
    return total;
  }

  /** Values recorded into a histogram, as min and max over the matching data points. */
  async range(name: string, match: Attributes = {}): Promise<{ min: number; max: number }> {
    const metric = await this.metric(name);
    const points = (metric?.dataPoints ?? []).filter((point) =>
      Object.entries(match).every(([key, value]) => point.attributes[key] === value),
    );
    const values = points.map((point) => point.value as { min?: number; max?: number });
    return {
      min: Math.min(...values.map((value) => value.min ?? Infinity)),
      max: Math.max(...values.map((value) => value.max ?? -Infinity)),
    };
  }

  stop(): void {
    this.uninstall();
  }
}
