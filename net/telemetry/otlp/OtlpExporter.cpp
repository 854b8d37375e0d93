// OtlpExporter: a ring under one mutex, a sender thread that batches, retries with backoff and flushes on stop.
#include "net/telemetry/otlp/OtlpExporter.h"

#include "net/telemetry/MetricsRegistry.h"

#include <QLoggingCategory>
#include <QUuid>

#include <algorithm>
#include <chrono>

Q_LOGGING_CATEGORY(lcOtlp, "dd.net.otlp")

namespace dd::net {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

Micros nowMicros()
{
    return Clock::system().now();
}

OtlpExporterOptions withDefaults(OtlpExporterOptions options)
{
    options.queueCapacity = std::max<std::size_t>(1, options.queueCapacity);
    options.maxBatch = std::clamp<std::size_t>(options.maxBatch, 1, options.queueCapacity);
    if (options.resource.instanceId.empty())
        options.resource.instanceId = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    if (options.resource.serviceVersion.empty())
        options.resource.serviceVersion = DD_VERSION;
    if (options.resource.scopeVersion.empty())
        options.resource.scopeVersion = DD_VERSION;
    return options;
}
} // namespace

OtlpExporter::OtlpExporter(OtlpExporterOptions options)
    : m_options(withDefaults(std::move(options))),
      // for_overwrite: a slot costs resident memory only once a span is written there.
      m_ring(std::make_unique_for_overwrite<Span[]>(m_options.queueCapacity)),
      m_exportedMetric(MetricsRegistry::global().counter("otlp_spans_exported_total", m_options.metricsService)),
      m_droppedMetric(MetricsRegistry::global().counter("otlp_spans_dropped_total", m_options.metricsService)),
      m_failuresMetric(MetricsRegistry::global().counter("otlp_export_failures_total", m_options.metricsService))
{
}

OtlpExporter::~OtlpExporter()
{
    stop();
}

void OtlpExporter::start()
{
    std::lock_guard lock(m_mutex);
    if (m_running || m_stopping)
        return;
    m_running = true;
    m_thread = std::thread([this] { run(); });
}

void OtlpExporter::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_running) {
            m_stopping = true; // never started: nothing will send what is queued
            return;
        }
        if (m_stopping)
            return;
        m_stopping = true;
        m_stopDeadline = nowMicros() + m_options.flushTimeout;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    std::lock_guard lock(m_mutex);
    m_running = false;
    if (m_size > 0) { // the flush ran out of time
        drop(m_size);
        m_size = 0;
    }
}

void OtlpExporter::record(const Span &span)
{
    bool batchFull = false;
    {
        std::lock_guard lock(m_mutex);
        if (m_size == m_options.queueCapacity || m_stopping) {
            drop(1);
            return;
        }
        m_ring[(m_head + m_size) % m_options.queueCapacity] = span;
        batchFull = ++m_size == m_options.maxBatch;
    }
    if (batchFull) // once per batch, not per span
        m_wake.notify_one();
}

std::size_t OtlpExporter::queued() const
{
    std::lock_guard lock(m_mutex);
    return m_size;
}

void OtlpExporter::drop(std::uint64_t spans)
{
    m_dropped.fetch_add(spans, kRelaxed);
    m_droppedMetric.fetch_add(spans, kRelaxed);
}

bool OtlpExporter::nextBatch(std::vector<Span> &batch)
{
    batch.clear();
    std::unique_lock lock(m_mutex);
    m_wake.wait_for(lock, std::chrono::microseconds(m_options.interval),
                    [this] { return m_stopping || m_size >= m_options.maxBatch; });
    if (m_stopping && (m_size == 0 || nowMicros() >= m_stopDeadline))
        return false;
    const std::size_t n = std::min(m_size, m_options.maxBatch);
    for (std::size_t i = 0; i < n; ++i)
        batch.push_back(m_ring[(m_head + i) % m_options.queueCapacity]);
    m_head = (m_head + n) % m_options.queueCapacity;
    m_size -= n;
    return true;
}

void OtlpExporter::run()
{
    std::vector<Span> batch;
    batch.reserve(m_options.maxBatch);
    while (nextBatch(batch)) {
        if (!batch.empty())
            send(batch);
    }
}

void OtlpExporter::send(const std::vector<Span> &batch)
{
    const QByteArray body = QByteArray::fromStdString(otlpTraceJson(batch, m_options.resource));
    Micros backoff = m_options.retryBase;
    for (int attempt = 1;; ++attempt) {
        int timeoutMs = m_options.requestTimeoutMs;
        {
            std::lock_guard lock(m_mutex);
            if (m_stopping) // flushing: the request must end by the flush deadline
                timeoutMs = int(std::clamp<Micros>((m_stopDeadline - nowMicros()) / kMillis, 1, timeoutMs));
        }
        const HttpPostResult result = httpPost(m_options.endpoint, "application/json", body, timeoutMs);
        if (result.ok()) {
            m_exported.fetch_add(batch.size(), kRelaxed);
            m_exportedMetric.fetch_add(batch.size(), kRelaxed);
            return;
        }
        m_failures.fetch_add(1, kRelaxed);
        m_failuresMetric.fetch_add(1, kRelaxed);
        if (!result.retryable() || attempt >= m_options.maxAttempts) {
            qCWarning(lcOtlp).noquote() << "dropping" << batch.size() << "spans after" << attempt
                                        << "attempt(s):" << result.error;
            drop(batch.size());
            return;
        }
        // Backoff on this thread only: record() keeps filling the ring (and dropping once full).
        std::unique_lock lock(m_mutex);
        if (m_stopping) {
            const Micros left = m_stopDeadline - nowMicros();
            if (left <= 0) {
                drop(batch.size());
                return;
            }
            m_wake.wait_for(lock, std::chrono::microseconds(std::min(backoff, left)));
        } else {
            // stop() cuts the wait short: the flush deadline then bounds the retries.
            m_wake.wait_for(lock, std::chrono::microseconds(backoff), [this] { return m_stopping; });
        }
        backoff = std::min(backoff * 2, m_options.retryMax);
    }
}

} // namespace dd::net
