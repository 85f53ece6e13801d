/**
 * OpenTelemetry traces, exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, as the OpenTelemetry specification names them; nothing at
 * all otherwise: `start` then returns undefined and callers do no work for tracing. A W3C `traceparent`
 * from a caller is continued, and passed on to the next service. Each service has a provider of its own
 * (not the global one), so that the gateway and subgraphs in one test process keep their service names.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type {} from 'fastify';

type Headers = Record<string, string | string[] | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's span, when traces are exported (gateway/http/request-trace.ts, subgraphs/kit/tracing.ts). */
    trace: TraceSpan | undefined;
  }
}

/** A span and the context its children start from. */
export interface TraceSpan {
  span: Span;
  context: Context;
}

export interface Tracing {
  /** Starts a span under `parent` (a TraceSpan, or a caller's headers with their traceparent); undefined when tracing is off. */
  start(name: string, parent: TraceSpan | Headers | undefined, attributes?: Attributes, kind?: SpanKind): TraceSpan | undefined;
  /** Ends a span, marked as an error when `error` is given. */
  end(span: TraceSpan | undefined, error?: string): void;
  /** Writes the span's traceparent into outgoing headers. */
  inject(span: TraceSpan | undefined, headers: Record<string, string>): void;
  /** Sends what is pending and stops. */
  shutdown(): Promise<void>;
}

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: Headers) => Object.keys(carrier),
  get: (carrier: Headers, key: string) => carrier[key.toLowerCase()],
};

/** What `createTracing` gives when no OTLP endpoint is set: every call does nothing. */
export const TRACING_OFF: Tracing = { start: () => undefined, end: () => {}, inject: () => {}, shutdown: async () => {} };

/** The OTLP traces URL the standard variables name, or undefined when traces are not exported. */
export function otlpTracesUrl(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.OTEL_TRACES_EXPORTER === 'none') return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

export function createTracing(serviceName: string, env: Readonly<Record<string, string | undefined>>): Tracing {
  const url = otlpTracesUrl(env);
  if (!url) return TRACING_OFF;
  if (!URL.canParse(url)) throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be a URL, got "${url}"`);
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME || serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: Number(env.OTEL_BSP_SCHEDULE_DELAY) || 5000 }),
    ],
  });
  const tracer = provider.getTracer('federation-platform');
  return {
    start(name, parent, attributes, kind = SpanKind.INTERNAL) {
      const parentContext =
        parent === undefined
          ? ROOT_CONTEXT
          : 'span' in parent && 'context' in parent
            ? (parent as TraceSpan).context
            : propagator.extract(ROOT_CONTEXT, parent as Headers, headerGetter);
      const span = tracer.startSpan(name, { kind, attributes }, parentContext);
      return { span, context: trace.setSpan(parentContext, span) };
    },
    end(traced, error) {
      if (!traced) return;
      if (error !== undefined) traced.span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      traced.span.end();
    },
    inject(traced, headers) {
      if (traced) propagator.inject(traced.context, headers, { set: (carrier, key, value) => (carrier[key] = value) });
    },
    shutdown: () => provider.shutdown(),
  };
}
