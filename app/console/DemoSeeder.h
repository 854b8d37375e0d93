// A few demo deliveries for a console started on an empty data dir, so the first look is not an empty screen.
#pragma once

#include <QList>
#include <QString>
#include <QVariantMap>

namespace dd::console {

class Console;

/// Scheduled through the console itself (Console::scheduleDelivery → ingestion.Accept,
/// the same path as an operator's form). Mixed on purpose: drone flights across the
/// city, a package too heavy for any drone (a paid third-party booking) and two
/// suspended owners, whose requests fail and show up under failed transactions.
class DemoSeeder
{
public:
    static QList<QVariantMap> demoRequests();
    /// True when the directory holds no backend data yet (no store of any service).
    static bool isFreshDataDir(const QString &dataDir);
    static void seed(Console &console);
};

} // namespace dd::console
