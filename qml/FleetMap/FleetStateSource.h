// QML face of a FleetState: owns it, and turns bursts of writes into at most one changed() per interval.
#pragma once

#include "FleetState.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <QtQml/qqmlregistration.h>

#include <atomic>
#include <memory>

namespace dd::fleetmap {

/// Creatable from QML (tests and previews declare one inline); the console creates one
/// in C++, hands state() to its telemetry bridge and exposes the object to QML through
/// its root singleton. Writers never touch this QObject, only the FleetState, so they
/// may run on any thread; changed() is always emitted on this object's thread.
class FleetStateSource : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    /// Minimum milliseconds between two changed() signals (default 100: ~10 Hz, like the
    /// console's other live models). 0 emits once per event-loop pass that saw writes.
    Q_PROPERTY(int interval READ interval WRITE setInterval NOTIFY intervalChanged)
    Q_PROPERTY(int droneCount READ droneCount NOTIFY changed)
    Q_PROPERTY(qulonglong generation READ generation NOTIFY changed)

public:
    explicit FleetStateSource(QObject *parent = nullptr);
    ~FleetStateSource() override;

    /// Shared so a bridge thread can keep writing safely while this QObject goes away.
    std::shared_ptr<FleetState> state() const { return m_state; }

    int interval() const { return m_interval; }
    void setInterval(int interval);
    int droneCount() const { return m_state->droneCount(); }
    qulonglong generation() const { return m_state->generation(); }

    /// Emits changed() now if anything was written since the last one (tests, shutdown).
    Q_INVOKABLE void flush();

signals:
    void changed();
    void intervalChanged();

private:
    /// Called by name (Qt allocates the queued call itself: nothing of ours crosses threads
    /// unseen by ThreadSanitizer, docs/sanitizers.md).
    Q_INVOKABLE void onWritten();
    void emitIfNewer();

    std::shared_ptr<FleetState> m_state;
    int m_interval = 100;
    std::atomic<bool> m_posted{false};
    quint64 m_emittedGeneration = 0;
    QElapsedTimer m_sinceEmit;
    QTimer m_holdOff;
};

} // namespace dd::fleetmap
