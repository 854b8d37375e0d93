// drone-chaos: drives a real drone-backend with load, faults and SIGKILLs, then checks the invariants (docs/chaos.md).
#include "ChaosOptions.h"
#include "ChaosRun.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>

#include <cstdio>

namespace {

/// --backend, else the drone-backend installed beside this program, else the build tree's.
QString findBackend(const QString &given)
{
    if (!given.isEmpty())
        return given;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath("drone-backend"), here.filePath("../backend/drone-backend")})
        if (QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return {};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName("drone-chaos");
    const QStringList arguments = app.arguments().mid(1);
    if (arguments.contains("--help") || arguments.contains("-h")) {
        std::fputs(dd::chaos::ChaosOptions::usage(), stdout);
        return 0;
    }
    QString error;
    auto options = dd::chaos::ChaosOptions::parse(arguments, &error);
    if (!options) {
        std::fprintf(stderr, "drone-chaos: %s\n%s", qPrintable(error), dd::chaos::ChaosOptions::usage());
        return 2;
    }
    if (options->seed == 0)
        options->seed = std::uint64_t(QDateTime::currentMSecsSinceEpoch());
    const QString backend = findBackend(options->backend);
    if (backend.isEmpty() || !QFileInfo(backend).isExecutable()) {
        std::fprintf(stderr, "drone-chaos: no drone-backend to run%s; pass --backend PATH\n",
                     backend.isEmpty() ? " next to drone-chaos" : qPrintable(" at " + backend));
        return 2;
    }

    QString dataDir = options->dataDir;
    if (dataDir.isEmpty()) {
        QTemporaryDir temporary(QDir::temp().filePath("drone-chaos-XXXXXX"));
        temporary.setAutoRemove(false); // kept when an invariant breaks: the data is the reproduction
        if (!temporary.isValid()) {
            std::fprintf(stderr, "drone-chaos: cannot make a temporary directory: %s\n", qPrintable(temporary.errorString()));
            return 3;
        }
        dataDir = temporary.path();
    } else if (!QDir().mkpath(dataDir) || !QDir(dataDir).isEmpty()) {
        std::fprintf(stderr, "drone-chaos: --data-dir %s must be a new or empty directory\n", qPrintable(dataDir));
        return 2;
    }

    dd::chaos::ChaosRun run(*options, backend, QFileInfo(dataDir).absoluteFilePath());
    QObject::connect(&run, &dd::chaos::ChaosRun::done, &app, &QCoreApplication::quit, Qt::QueuedConnection);
    run.start();
    app.exec();

    QJsonObject report = run.report();
    const bool keep = options->keepData || run.exitCode() != 0;
    if (keep)
        report.insert("data_dir", dataDir);
    else if (options->dataDir.isEmpty())
        QDir(dataDir).removeRecursively();
    std::printf("%s\n", QJsonDocument(report).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    return run.exitCode();
}
