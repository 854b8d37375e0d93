// QML face of a FleetState: owns it, and turns bursts of writes into at most one changed() per interval.
#include "FleetStateSource.h"

#include <QMetaObject>

namespace dd::fleetmap {

FleetStateSource::FleetStateSource(QObject *parent)
    : QObject(parent)
    , m_state(std::make_shared<FleetState>())
{
    m_holdOff.setSingleShot(true);
    connect(&m_holdOff, &QTimer::timeout, this, &FleetStateSource::emitIfNewer);
    // One queued call per burst, however many writes: m_posted is reset only when the
    // GUI thread has picked the burst up.
    m_state->setChangeNotifier([this] {
        if (!m_posted.exchange(true, std::memory_order_acq_rel))
            QMetaObject::invokeMethod(this, "onWritten", Qt::QueuedConnection);
    });
}

FleetStateSource::~FleetStateSource()
{
    // Waits for a notifier call in flight; afterwards writers can no longer reach us.
    m_state->setChangeNotifier({});
}

void FleetStateSource::setInterval(int interval)
{
    interval = qMax(0, interval);
    if (interval == m_interval)
        return;
    m_interval = interval;
    emit intervalChanged();
}

void FleetStateSource::flush()
{
    m_holdOff.stop();
    emitIfNewer();
}

void FleetStateSource::onWritten()
{
    m_posted.store(false, std::memory_order_release);
    if (m_holdOff.isActive())
        return; // already due; it will pick up this write too
    const qint64 elapsed = m_sinceEmit.isValid() ? m_sinceEmit.elapsed() : m_interval;
    if (elapsed >= m_interval)
        emitIfNewer();
    else
        m_holdOff.start(int(m_interval - elapsed));
}

void FleetStateSource::emitIfNewer()
{
    const quint64 generation = m_state->generation();
    if (generation == m_emittedGeneration)
        return;
    m_emittedGeneration = generation;
    m_sinceEmit.start();
    emit changed();
}

} // namespace dd::fleetmap
