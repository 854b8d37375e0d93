// DemoSeeder: the demo's requests, in the HTTP API's form shape.
#include "DemoSeeder.h"

#include "Console.h"

#include <QDateTime>

#include <iterator>
#include <QDir>

namespace dd::console {

QList<QVariantMap> DemoSeeder::demoRequests()
{
    struct Demo
    {
        const char *owner, *pickup, *dropoff, *size;
        double weight;
        bool expedited;
        const char *tag;
    };
    // Coordinates in the service area (Seattle); owner-007 and owner-013 are suspended.
    static const Demo demos[] = {
        {"owner-001", "47.6097,-122.3422", "47.6205,-122.3493", "Small", 1.2, false, "books"},
        {"owner-002", "47.6253,-122.3222", "47.6615,-122.3132", "Medium", 3.5, true, "groceries"},
        {"owner-003", "47.6677,-122.3845", "47.6510,-122.3505", "Small", 0.8, false, "medicine"},
        {"owner-005", "47.5800,-122.3350", "47.5790,-122.3110", "Large", 25.0, false, "furniture"},
        {"owner-007", "47.6062,-122.3321", "47.6145,-122.3190", "Small", 1.0, false, "gift"},
        {"owner-011", "47.6370,-122.3570", "47.6270,-122.3370", "Small", 2.0, true, "documents"},
        {"owner-013", "47.5952,-122.3316", "47.6010,-122.3050", "Medium", 4.0, false, "electronics"},
        {"owner-018", "47.5700,-122.3860", "47.5480,-122.3210", "Medium", 6.0, false, "tools"},
    };
    // Pickup times are honoured: most leave now (no time), the last two are booked for later,
    // so the demo shows drones in flight and drones reserved for a pickup.
    const QString later = QDateTime::currentDateTimeUtc().addSecs(15 * 60).toString(Qt::ISODate);
    QList<QVariantMap> forms;
    int index = 0;
    for (const Demo &demo : demos)
        forms.append({{"ownerId", demo.owner},
                      {"pickupLocation", demo.pickup},
                      {"dropOffLocation", demo.dropoff},
                      {"pickupTime", ++index > int(std::size(demos)) - 2 ? later : QString()},
                      {"deadline", "within the hour"},
                      {"expedited", demo.expedited},
                      {"confirmationRequired", "None"},
                      {"size", demo.size},
                      {"weight", demo.weight},
                      {"tag", demo.tag}});
    return forms;
}

bool DemoSeeder::isFreshDataDir(const QString &dataDir)
{
    return QDir(dataDir).entryList({QStringLiteral("*.sqlite")}, QDir::Files).isEmpty();
}

void DemoSeeder::seed(Console &console)
{
    for (const QVariantMap &form : demoRequests())
        console.scheduleDelivery(form);
}

} // namespace dd::console
