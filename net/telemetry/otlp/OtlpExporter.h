// Sends finished spans to an OpenTelemetry collector as OTLP/HTTP JSON, batched, from its own thread.
#pragma once

#include "net/telemetry/SpanSink.h"
#include "net/telemetry/SpanStore.h"
#include "net/telemetry/otlp/OtlpHttpPost.h"
#include "net/telemetry/otlp/OtlpJson.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace dd::net {

struct OtlpExporterOptions
{
    HttpEndpoint endpoint;           ///< e.g. HttpEndpoint::parse("http://127.0.0.1:4318/v1/traces")
    OtlpResource resource;           ///< instanceId empty: a new UUID; versions empty: this build's
    std::size_t queueCapacity = 8192; ///< spans waiting; more are dropped (counted)
    std::size_t maxBatch = 512;      ///< spans per request
    Micros interval = 1 * kSeconds;  ///< a partial batch waits at most this long
    int requestTimeoutMs = 5000;
    int maxAttempts = 5;             ///< per batch, for retryable failures; then it is dropped
    Micros retryBase = 200 * kMillis; ///< doubled per attempt
    Micros retryMax = 5 * kSeconds;
    Micros flushTimeout = 5 * kSeconds; ///< stop() sends what is queued for at most this long
    std::string metricsService = "otlp"; ///< the service label of dd_otlp_* counters
};

/// A SpanSink: record() copies the span into a preallocated bounded ring (no allocation,
/// one short lock) and returns; the exporter's thread takes batches of up to maxBatch,
/// every `interval` or as soon as a batch is full, encodes them (OtlpJson) and POSTs them
/// with Content-Type application/json. Failures are retried with exponential backoff on
/// that thread, never blocking record(); a full ring drops new spans. Counted in
/// MetricsRegistry::global() as dd_otlp_spans_exported_total, dd_otlp_spans_dropped_total
/// and dd_otlp_export_failures_total (failed requests).
class OtlpExporter final : public SpanSink
{
public:
    explicit OtlpExporter(OtlpExporterOptions options);
    /// stop()s.
    ~OtlpExporter() override;
    OtlpExporter(const OtlpExporter &) = delete;
    OtlpExporter &operator=(const OtlpExporter &) = delete;

    void start();
    /// Sends what is queued (for at most flushTimeout), then ends the thread. Detach the
    /// exporter from its SpanFanout first: spans recorded after stop() are dropped.
    void stop();

    void record(const Span &span) override;

    std::uint64_t exported() const { return m_exported.load(std::memory_order_relaxed); }
    std::uint64_t dropped() const { return m_dropped.load(std::memory_order_relaxed); }
    std::uint64_t failures() const { return m_failures.load(std::memory_order_relaxed); }
    std::size_t queued() const;
    const OtlpExporterOptions &options() const { return m_options; }

private:
    void run();
    /// Takes up to maxBatch spans into `batch`; false when stopping and nothing is left.
    bool nextBatch(std::vector<Span> &batch);
    void send(const std::vector<Span> &batch);
    void drop(std::uint64_t spans);

    OtlpExporterOptions m_options;
    const std::unique_ptr<Span[]> m_ring;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::size_t m_head = 0, m_size = 0; // ring: oldest at m_head
    bool m_running = false, m_stopping = false;
    Micros m_stopDeadline = 0;
    std::thread m_thread;

    std::atomic<std::uint64_t> m_exported{0}, m_dropped{0}, m_failures{0};
    std::atomic<std::uint64_t> &m_exportedMetric;
    std::atomic<std::uint64_t> &m_droppedMetric;
    std::atomic<std::uint64_t> &m_failuresMetric;
};

} // namespace dd::net
