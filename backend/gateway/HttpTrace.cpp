// HttpTrace: a router rule that never matches notes each request's span; HttpReply takes it.
#include "backend/gateway/HttpTrace.h"

#include "net/resilience/Random.h"

#include <QHttpServerRouter>
#include <QHttpServerRouterRule>
#include <QMetaEnum>

#include <optional>

namespace dd::backend {

namespace {
thread_local std::optional<HttpServerSpan> t_dispatching;

QByteArray methodName(QHttpServerRequest::Method method)
{
    return QByteArray(QMetaEnum::fromType<QHttpServerRequest::Method>().valueToKey(int(method))).toUpper();
}

class SpanTapRule final : public QHttpServerRouterRule
{
public:
    SpanTapRule()
        : QHttpServerRouterRule(QStringLiteral("/"), [](const QRegularExpressionMatch &, const QHttpServerRequest &,
                                                         QTcpSocket *) {})
    {
    }

protected:
    bool matches(const QHttpServerRequest &request, QRegularExpressionMatch *) const override
    {
        t_dispatching = HttpServerSpan::begin(request);
        return false; // the real routes decide
    }
};
} // namespace

HttpServerSpan HttpServerSpan::begin(const QHttpServerRequest &request)
{
    HttpServerSpan span;
    std::optional<net::TraceContext> caller;
    int seen = 0;
    for (const auto &[key, value] : request.headers()) {
        if (key.compare("traceparent", Qt::CaseInsensitive) == 0 && ++seen == 1)
            caller = net::TraceContext::parse(value.trimmed().toStdString());
    }
    if (caller && seen == 1) {
        span.trace = caller->child(net::Random::threadLocal());
        span.parentSpanId = caller->spanId;
    } else {
        span.trace = net::TraceContext::newRoot(net::Random::threadLocal());
    }
    span.start = net::Clock::system().now();
    span.name = methodName(request.method()) + ' ' + request.url().path(QUrl::FullyEncoded).toUtf8();
    return span;
}

HttpServerSpan HttpServerSpan::newTrace()
{
    HttpServerSpan span;
    span.trace = net::TraceContext::newRoot(net::Random::threadLocal());
    span.start = net::Clock::system().now();
    return span;
}

void HttpTrace::install(QHttpServer &server)
{
    auto view = [](QHttpServerResponder &&) {};
    server.router()->addRule<decltype(view)>(std::make_unique<SpanTapRule>());
}

HttpServerSpan HttpTrace::take()
{
    if (!t_dispatching)
        return HttpServerSpan::newTrace();
    HttpServerSpan span = std::move(*t_dispatching);
    t_dispatching.reset();
    return span;
}

} // namespace dd::backend
