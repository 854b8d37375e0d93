// Helpers the panel Quick Tests reach as the PanelTestSupport singleton: QML warnings, a sample fleet, previews.
#pragma once

#include <QObject>
#include <QQmlEngine>
#include <QStringList>

class QQuickItem;

namespace dd::fleetmap {
class FleetStateSource;
}

/// Registered as `import DroneConsole.Tests` → `PanelTestSupport` by tst_panels' setup.
/// The engines' QML warnings (binding and type errors, missing roles, bad anchors) are
/// collected so every test can assert that it produced none: they would otherwise only
/// be printed. (Qt Test replaces message handlers per test case, so the engine's
/// warnings signal is the dependable hook.)
class PanelTestSupport : public QObject
{
    Q_OBJECT
    /// Where preview PNGs go ($DD_PANEL_PREVIEW_DIR); empty: previews are not written.
    Q_PROPERTY(QString previewDir READ previewDir CONSTANT)

public:
    explicit PanelTestSupport(QObject *parent = nullptr);

    /// Registers the singleton and TestListModel (before any engine exists).
    static void registerType();
    /// Collects this engine's warnings until it is destroyed.
    static void collectWarnings(QQmlEngine *engine);

    QString previewDir() const;

    /// QML warnings since the last call, oldest first.
    Q_INVOKABLE QStringList takeWarnings();
    /// A deterministic fleet of `drones` around Seattle, a third of them flying deliveries.
    Q_INVOKABLE void populateFleet(dd::fleetmap::FleetStateSource *source, int drones);
    /// One drone at an exact position (state: a DroneState value), for click tests.
    Q_INVOKABLE void placeDrone(dd::fleetmap::FleetStateSource *source, const QString &id, double latitude,
                                double longitude, int state, const QString &deliveryId);
    /// Saves the item's window as previewDir/panel-NAME.png, and again at 1920×1080 as
    /// panel-NAME-1080p.png (the test's root item resized with the window, then restored);
    /// false when previews are off or saving failed.
    Q_INVOKABLE bool savePreview(QQuickItem *item, const QString &name);
};
