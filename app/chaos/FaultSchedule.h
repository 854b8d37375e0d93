// Random transient, fatal and delay faults, redrawn on an interval and set through each process's /api/faults.
#pragma once

#include "BackendUnderChaos.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <random>

namespace dd::chaos {

/// Every interval the rule set is drawn anew from the seed (FaultInjector specs,
/// `SERVICE[.METHOD]=KIND:PERCENT[:MS]`) and replaces the rules of every process that
/// serves now: DELETE /api/faults, then one POST per rule for the services it runs.
/// Fatal faults hit only forward steps (a workflow fails and is compensated), the late
/// step delivery.Create most often (its undo needs a supervisor's approval); what undoes
/// a step sees transient faults and delays only, so an escalation is a finding.
/// A restarted process comes back without rules and gets them at the next draw.
class FaultSchedule : public QObject
{
    Q_OBJECT
public:
    FaultSchedule(BackendUnderChaos &backend, int intervalMs, std::uint64_t seed, QObject *parent = nullptr);

    /// One draw: the rules of one interval (public for the report and the tests).
    QStringList draw();
    /// A split process's rules, which it keeps from its start to its next one (often the
    /// whole run): a draw that always holds the late step's fatal fault, since one draw
    /// without it would leave the run without a transaction needing approval.
    QStringList drawForLifetime();

    void start();
    /// Stops drawing, waits for what is in flight, removes every rule, then `done`.
    void clear(std::function<void()> done);

    int rulesApplied() const { return m_applied; }
    const QStringList &current() const { return m_current; }

private:
    void apply(const QStringList &rules);
    void send(const QUrl &url, const QByteArray &verb, const QByteArray &body, std::function<void()> then = {});
    void settled();

    BackendUnderChaos &m_backend;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    std::mt19937_64 m_random;
    QStringList m_current;
    int m_inFlight = 0;
    int m_applied = 0;
    std::function<void()> m_whenSettled;
};

} // namespace dd::chaos
