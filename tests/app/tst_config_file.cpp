// --config FILE: the syntax, the merge with the command line, each error with its line, the real drone-backend.
#include "BackendOptions.h"
#include "ConfigFile.h"
#include "ConsoleOptions.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using namespace dd;
using namespace dd::app;

class TestConfigFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            qFatal("cannot write %s", qPrintable(path));
        file.write(text);
        return path;
    }

    static std::string backendError(const QStringList &arguments)
    {
        std::string error;
        const auto options = BackendOptions::parse(arguments, &error);
        return options ? std::string("(parsed)") : error;
    }

private slots:
    void syntaxCommentsBlanksAndQuotes()
    {
        const QByteArray text = "# a comment\n"
                                "\n"
                                "   # an indented comment\n"
                                "http = 8080\r\n"
                                "data-dir=\"/var/lib/drone delivery\"\n"
                                "  user =  \"say \\\"hi\\\" \\\\ # not a comment\"  \n"
                                "fault = package.Create=fatal:10\n"
                                "tokens =\n";
        std::string error;
        const auto entries = ConfigFile::parse(text, "x.conf", &error);
        QVERIFY2(entries, error.c_str());
        QCOMPARE(entries->size(), std::size_t(5));
        QCOMPARE((*entries)[0].line, 4);
        QCOMPARE((*entries)[0].key, QStringLiteral("http"));
        QCOMPARE((*entries)[0].value, QStringLiteral("8080"));
        QCOMPARE((*entries)[1].value, QStringLiteral("/var/lib/drone delivery"));
        QCOMPARE((*entries)[2].key, QStringLiteral("user"));
        QCOMPARE((*entries)[2].value, QStringLiteral("say \"hi\" \\ # not a comment"));
        QCOMPARE((*entries)[3].value, QStringLiteral("package.Create=fatal:10")); // only the first '=' splits
        QCOMPARE((*entries)[4].value, QString());
    }

    void syntaxErrorsNameFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no equals") << QByteArray("http = 1\n\nhttp 8080\n") << "x.conf:3: expected key = value, not \"http 8080\"";
        QTest::newRow("no key") << QByteArray("= 5\n") << "x.conf:1: no key before \"=\"";
        QTest::newRow("dashes") << QByteArray("#\n--http = 5\n") << "x.conf:2: write the key \"--http\" without the leading \"--\"";
        QTest::newRow("open quote") << QByteArray("user = \"bob\n") << "x.conf:1: user: the value's quote is not closed at the end of the line";
        QTest::newRow("text after quote") << QByteArray("user = \"bob\" x\n") << "x.conf:1: user: the value's quote is not closed at the end of the line";
        QTest::newRow("not utf-8") << QByteArray("http = 1\nuser = \xff\xfe\n") << "x.conf:2: not UTF-8 text";
    }
    void syntaxErrorsNameFileAndLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        std::string error;
        QVERIFY(!ConfigFile::parse(text, "x.conf", &error));
        QCOMPARE(QString::fromStdString(error), expected);
    }

    void fileSetsEveryKindOfFlag()
    {
        const QString path = write("ok.conf", "data-dir = /var/lib/drone-delivery\n"
                                              "http = 8080\n"
                                              "bind = 127.0.0.1\n"
                                              "fleet = 7\n"
                                              "time-scale = 2.5\n"
                                              "fault = package.Create=fatal:10\n"
                                              "fault = drone=delay:5:20\n"
                                              "accounts = strict\n"
                                              "retry-window = 2h\n"
                                              "log-format = json\n"
                                              "log-file = \"/var/log/drone backend.log\"\n");
        std::string error;
        const auto options = BackendOptions::parse({"--config", path}, &error);
        QVERIFY2(options, error.c_str());
        QCOMPARE(options->dataDir, std::string("/var/lib/drone-delivery"));
        QCOMPARE(options->httpPort, 8080);
        QCOMPARE(options->httpAddress, std::string("127.0.0.1"));
        QCOMPARE(options->fleet, 7);
        QCOMPARE(options->timeScale, 2.5);
        QCOMPARE(options->faults, (std::vector<std::string>{"package.Create=fatal:10", "drone=delay:5:20"}));
        QVERIFY(options->strictAccounts);
        QCOMPARE(options->retryWindowUs, 2LL * 3600 * 1000000);
        QCOMPARE(options->logFormat, std::string("json"));
        QCOMPARE(options->logFile, std::string("/var/log/drone backend.log"));
    }

    void commandLineOverridesAndReplacesRepeatables()
    {
        const QString path = write("base.conf", "http = 8080\nfleet = 7\n"
                                                "fault = package.Create=fatal:10\nfault = drone=delay:5:20\n");
        std::string error;
        // Before or after --config: the command line wins either way.
        const auto options = BackendOptions::parse({"--http", "9090", "--config", path, "--fault", "account=transient:50"},
                                                   &error);
        QVERIFY2(options, error.c_str());
        QCOMPARE(options->httpPort, 9090);
        QCOMPARE(options->fleet, 7); // not on the command line: the file's
        QCOMPARE(options->faults, std::vector<std::string>{"account=transient:50"}); // replaced, not appended
    }

    void valueAndKeyErrorsNameTheLine()
    {
        const QString bad = write("bad.conf", "# header\nfleet = 3\n\n\n\n\nhttp = x\n");
        QCOMPARE(QString::fromStdString(backendError({"--config", bad})),
                 bad + ":7: http: --http needs a port between 0 and 65535, not \"x\"");
        const QString unknown = write("unknown.conf", "http = 1\n\n\n\n\n\nhtp = 8080\n");
        QCOMPARE(QString::fromStdString(backendError({"--config", unknown})), unknown + ":7: unknown key \"htp\"");
        const QString fault = write("fault.conf", "fault = nonsense\n");
        QVERIFY(backendError({"--config", fault}).starts_with((fault + ":1: fault: ").toStdString()));
        const QString nested = write("nested.conf", "http = 1\nconfig = other.conf\n");
        QCOMPARE(QString::fromStdString(backendError({"--config", nested})),
                 nested + ":2: config: a config file cannot name another one");
    }

    void consoleKeysAreNotTheBackends()
    {
        const QString path = write("console.conf", "fleet = 5\nafter = 2\n");
        QCOMPARE(QString::fromStdString(backendError({"--config", path})), path + ":2: unknown key \"after\"");
        // The same file is the console's: its own keys and the embedded backend's.
        std::string error;
        const auto console = console::ConsoleOptions::parse({"--config", path}, &error);
        QVERIFY2(console, error.c_str());
        QCOMPARE(console->screenshotAfter, 2.0);
        QCOMPARE(console->backend.fleet, 5);
        // And the console reports its own bad values and unknown keys by line too.
        const QString bad = write("console-bad.conf", "after = pilot\n");
        QVERIFY(!console::ConsoleOptions::parse({"--config", bad}, &error));
        QCOMPARE(QString::fromStdString(error),
                 bad + ":1: after: --after needs a number of seconds between 0 and 3600");
        // A role is no longer claimed in a config file: it comes with a sign-in.
        const QString role = write("console-role.conf", "role = supervisor\n");
        QVERIFY(!console::ConsoleOptions::parse({"--config", role}, &error));
        QVERIFY2(QString::fromStdString(error).contains("--role is gone"), error.c_str());
        const QString unknown = write("console-unknown.conf", "\nscreenshots = a.png\n");
        QVERIFY(!console::ConsoleOptions::parse({"--config", unknown}, &error));
        QCOMPARE(QString::fromStdString(error), unknown + ":2: unknown key \"screenshots\"");
    }

    void missingFileAndFlagMistakes()
    {
        const QString missing = m_dir.filePath("absent.conf");
        QCOMPARE(QString::fromStdString(backendError({"--config", missing})),
                 missing + ": cannot read the config file: No such file or directory");
        QCOMPARE(backendError({"--config"}), std::string("--config needs a file"));
        const QString path = write("twice.conf", "http = 1\n");
        QVERIFY(backendError({"--config", path, "--config", path}).starts_with("--config is given twice"));
    }

    void shippedDefaultConfigParses()
    {
        std::string error;
        const auto options = BackendOptions::parse({"--config", DEPLOY_CONFIG}, &error);
        QVERIFY2(options, error.c_str());
        QCOMPARE(options->dataDir, std::string("/var/lib/drone-delivery"));
        QCOMPARE(options->httpPort, 8080);
        QCOMPARE(options->httpAddress, std::string("127.0.0.1"));

        // Its commented-out examples are valid too: uncommented, the parser takes every one.
        QFile shipped(DEPLOY_CONFIG);
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QByteArray uncommented;
        int examples = 0;
        static const QRegularExpression example(QStringLiteral("^# ([a-z-]+ = .*)$"));
        for (const QByteArray &line : shipped.readAll().split('\n')) {
            const auto match = example.match(QString::fromUtf8(line));
            uncommented += (match.hasMatch() ? match.captured(1).toUtf8() : line) + '\n';
            examples += match.hasMatch();
        }
        QVERIFY(examples >= 14);
        const QString path = write("uncommented.conf", uncommented);
        QVERIFY2(BackendOptions::parse({"--config", path}, &error), error.c_str());
    }

    void realBackendReportsTheLineAndExits2()
    {
        const QString path = write("backend.conf", "# drone-backend\nfleet = 3\nhttp = x\n");
        QProcess backend;
        backend.start(DRONE_BACKEND_PATH, {"--config", path, "--data-dir", m_dir.filePath("data")});
        QVERIFY(backend.waitForFinished(30000));
        QCOMPARE(backend.exitStatus(), QProcess::NormalExit);
        QCOMPARE(backend.exitCode(), 2);
        const QByteArray stderrText = backend.readAllStandardError();
        QVERIFY2(stderrText.startsWith(("drone-backend: " + path + ":3: http: --http needs a port between 0 and "
                                        "65535, not \"x\"\n").toUtf8()),
                 stderrText.constData());

        const QString unknown = write("unknown-backend.conf", "user = me\n");
        backend.start(DRONE_BACKEND_PATH, {"--config", unknown});
        QVERIFY(backend.waitForFinished(30000));
        QCOMPARE(backend.exitCode(), 2);
        QVERIFY(backend.readAllStandardError().startsWith(("drone-backend: " + unknown + ":1: unknown key \"user\"").toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_config_file.moc"
