// Tests the wire format: framing round trips and rejection of malformed frames; the endpoint table.
#include "net/envelope/Envelope.h"
#include "net/transport/EndpointTable.h"

#include <QtTest>

using namespace dd::net;

class TestEnvelope : public QObject
{
    Q_OBJECT

private slots:
    void frameRoundTripsEveryField()
    {
        Envelope out;
        out.set_kind(dronedelivery::v1::REQUEST);
        out.set_sender_id(7);
        out.set_message_id(42);
        out.set_trace_id_hi(1);
        out.set_trace_id_lo(2);
        out.set_parent_span_id(3);
        out.set_deadline_us(123456789);
        out.set_source("scheduler");
        out.set_attempt(2);
        out.set_method("Drone.Schedule");
        out.set_idempotency_key("d-1/drone");
        out.set_version("v2");
        const zmq::message_t message = frame(out, "payload-bytes");
        Envelope in;
        std::string_view payload;
        QVERIFY(unframe(message, in, payload));
        QCOMPARE(in.SerializeAsString(), out.SerializeAsString());
        QCOMPARE(payload, std::string_view("payload-bytes"));
        QCOMPARE(traceOf(in).traceIdLo, 2ULL);
    }

    void topicLeadsPubSubFrames()
    {
        Envelope out;
        out.set_kind(dronedelivery::v1::EVENT);
        out.set_sequence(9);
        const zmq::message_t message = frame(out, "body", "delivery.created");
        QVERIFY(view(message).starts_with("delivery.created"));
        Envelope in;
        std::string_view payload, topic;
        QVERIFY(unframe(message, in, payload, &topic));
        QCOMPARE(topic, std::string_view("delivery.created"));
        QCOMPARE(in.sequence(), 9ULL);
        QCOMPARE(payload, std::string_view("body"));
    }

    void peekReadsAnEventsHeaderWithoutParsing()
    {
        Envelope out;
        out.set_kind(dronedelivery::v1::EVENT);
        out.set_sender_id(0x1122334455667788ULL);
        out.set_message_id(42);
        out.set_sequence(42);
        out.set_source("drone");
        out.set_method("DroneTelemetry");
        const zmq::message_t message = frame(out, "payload", "telemetry.drone-0001");
        std::string_view topic;
        std::uint64_t sender = 0, sequence = 0;
        QVERIFY(peekEvent(message, topic, sender, sequence));
        QCOMPARE(topic, std::string_view("telemetry.drone-0001"));
        QCOMPARE(sender, 0x1122334455667788ULL);
        QCOMPARE(sequence, 42ULL);
        // Anything else is left to the full parse.
        out.set_kind(dronedelivery::v1::REQUEST);
        QVERIFY(!peekEvent(frame(out, "payload", "t"), topic, sender, sequence));
        const std::string cut(view(message).substr(0, 30));
        QVERIFY(!peekEvent(zmq::message_t(cut.data(), cut.size()), topic, sender, sequence));
        QVERIFY(!peekEvent(zmq::message_t("no-nul", 6), topic, sender, sequence));
    }

    void malformedFramesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<bool>("withTopic");
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("short length") << QByteArray("\x01\x00", 2) << false;
        QTest::newRow("length past end") << QByteArray("\xff\x00\x00\x00" "abc", 7) << false;
        QTest::newRow("huge length") << QByteArray("\xff\xff\xff\xff", 4) << false;
        QTest::newRow("not protobuf") << QByteArray("\x03\x00\x00\x00\xff\xff\xff", 7) << false;
        QTest::newRow("topic without NUL") << QByteArray("delivery.created") << true;
    }

    void malformedFramesAreRejected()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(bool, withTopic);
        zmq::message_t message(bytes.constData(), size_t(bytes.size()));
        Envelope in;
        std::string_view payload, topic;
        QVERIFY(!unframe(message, in, payload, withTopic ? &topic : nullptr));
    }

    void everyTruncationOfAValidFrameIsSafe()
    {
        Envelope out;
        out.set_kind(dronedelivery::v1::REQUEST);
        out.set_method("Account.Check");
        out.set_source("scheduler");
        const zmq::message_t full = frame(out, "xyz");
        const std::string bytes(view(full));
        int accepted = 0;
        for (size_t n = 0; n < bytes.size(); ++n) {
            zmq::message_t cut(bytes.data(), n);
            Envelope in;
            std::string_view payload;
            if (unframe(cut, in, payload)) {
                ++accepted; // only cuts inside the payload can still parse
                QVERIFY(n >= bytes.size() - 3);
            }
        }
        QCOMPARE(accepted, 3);
    }

    void endpointTableDefaultsToInproc()
    {
        EndpointTable table;
        QCOMPARE(table.endpoint("Account"), std::string("inproc://account"));
        QCOMPARE(table.instances("drone").size(), size_t(1));
    }

    void endpointTableParsesInstancesAndVersions()
    {
        std::string error;
        // (no raw string literals: moc 6.4 mis-parses multi-line ones)
        const char *json = "{\"keysDir\":\"/tmp/k\",\"services\":{"
                           "\"Account\":\"tcp://127.0.0.1:6001\","
                           "\"drone\":[\"tcp://127.0.0.1:6002\","
                           "{\"endpoint\":\"tcp://127.0.0.1:6003\",\"version\":\"v2\"}]}}";
        auto table = EndpointTable::parseJson(json, &error);
        QVERIFY2(table, error.c_str());
        QCOMPARE(table->keysDir(), std::string("/tmp/k"));
        QCOMPARE(table->endpoint("account"), std::string("tcp://127.0.0.1:6001"));
        const auto drones = table->instances("drone");
        QCOMPARE(drones.size(), size_t(2));
        QCOMPARE(drones[1].version, std::string("v2"));
        QVERIFY(drones[1].isTcp());
        // A file describes the whole deployment: unknown names do not fall back to inproc.
        QVERIFY(table->instances("package").empty());
    }

    void endpointTableRejectsBadFiles_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("not json") << "{nope";
        QTest::newRow("array root") << "[1,2]";
        QTest::newRow("no services") << "{\"keysDir\":\"x\"}";
        QTest::newRow("bad scheme") << "{\"services\":{\"a\":\"http://x\"}}";
        QTest::newRow("number instance") << "{\"services\":{\"a\":[5]}}";
    }

    void endpointTableRejectsBadFiles()
    {
        QFETCH(QString, json);
        std::string error;
        QVERIFY(!EndpointTable::parseJson(json.toStdString(), &error));
        QVERIFY(!error.empty());
    }

    void missingEndpointFileIsAnError()
    {
        std::string error;
        QVERIFY(!EndpointTable::loadFile("/nonexistent/endpoints.json", &error));
        QVERIFY(error.find("cannot open") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestEnvelope)
#include "tst_envelope.moc"
