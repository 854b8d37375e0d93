// Qt Quick Tests of the console's QML panels (tests/console/qml/tst_*.qml) with injected ListModels.
#include "PanelTestSupport.h"

#include <QQmlEngine>
#include <QtQml/qqmlextensionplugin.h>
#include <QtQuickTest>

Q_IMPORT_QML_PLUGIN(DroneConsolePlugin)
Q_IMPORT_QML_PLUGIN(DroneConsole_FleetMapPlugin)

/// Makes the static modules importable and installs the test helpers before any test file loads.
class PanelTestSetup : public QObject
{
    Q_OBJECT

public slots:
    void applicationAvailable() { PanelTestSupport::registerType(); }
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        PanelTestSupport::collectWarnings(engine);
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    }
};

QUICK_TEST_MAIN_WITH_SETUP(tst_panels, PanelTestSetup)

#include "tst_panels.moc"
