import {
  AzureMonitorMetricExporter,
  AzureMonitorTraceExporter,
} from '@azure/monitor-opentelemetry-exporter';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { useTelemetry } from './telemetry.js';

export interface TelemetryIdentity {
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly instanceId: string;
}

export interface RunningTelemetry {
  /** Exports what is buffered and stops recording. */
  shutdown(): Promise<void>;
}

/**
 * Sends the bot's metrics and spans to the given exporters (metrics every `exportIntervalMs`,
 * spans in batches) until shut down.
 */
export function startTelemetry(
  exporters: { readonly metrics: PushMetricExporter; readonly spans: SpanExporter },
  identity: TelemetryIdentity,
  exportIntervalMs = 60_000,
): RunningTelemetry {
  const resource = resourceFromAttributes({
    'service.name': identity.serviceName,
    'service.version': identity.serviceVersion,
    'service.instance.id': identity.instanceId,
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: exporters.metrics,
        exportIntervalMillis: exportIntervalMs,
      }),
    ],
  });
  const tracerProvider = new BasicTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(exporters.spans)],
  });
  const uninstall = useTelemetry({ meterProvider, tracerProvider });
  return {
    async shutdown() {
      uninstall();
      await Promise.allSettled([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}

/** Telemetry to Application Insights, authenticated by its connection string. */
export function startAzureMonitor(
  connectionString: string,
  identity: TelemetryIdentity,
): RunningTelemetry {
  return startTelemetry(
    {
      metrics: new AzureMonitorMetricExporter({ connectionString }),
      spans: new AzureMonitorTraceExporter({ connectionString }),
    },
    identity,
  );
}
