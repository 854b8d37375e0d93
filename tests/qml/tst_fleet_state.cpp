// Tests FleetState and FleetStateSource: latest-wins merges, consistent snapshots under concurrent writers, coalescing.
#include "FleetState.h"
#include "FleetStateSource.h"

#include <QSignalSpy>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace dd::fleetmap;

namespace {

QString droneName(int i)
{
    return QStringLiteral("drone-%1").arg(i, 5, 10, QLatin1Char('0'));
}

DroneView drone(int i, double latitude = 47.6, int state = DroneIdle, float battery = 1.0f)
{
    DroneView d;
    d.id = droneName(i);
    d.latitude = latitude;
    d.longitude = -122.3;
    d.state = state;
    d.battery = battery;
    return d;
}

DeliveryMarker delivery(const QString &id, int stage)
{
    return {id, 47.60, -122.33, 47.62, -122.30, stage};
}

const DroneView *find(const FleetSnapshot &snapshot, const QString &id)
{
    for (const DroneView &d : snapshot.drones) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

} // namespace

class TestFleetState : public QObject
{
    Q_OBJECT

private slots:
    void anUpdateMergesTheLatestValuePerDrone()
    {
        FleetState state;
        state.update({drone(1, 47.1), drone(2, 47.2)});
        state.update({drone(1, 47.5, DroneFlyingToPickup)});
        const auto snapshot = state.snapshot();
        QCOMPARE(snapshot->drones.size(), size_t(2));
        QCOMPARE(snapshot->drones[0].id, droneName(1)); // first-seen order is kept
        QCOMPARE(snapshot->drones[0].latitude, 47.5);
        QCOMPARE(snapshot->drones[0].state, int(DroneFlyingToPickup));
        QCOMPARE(snapshot->drones[1].latitude, 47.2);
        QCOMPARE(state.droneCount(), 2);
    }

    void withinOneBatchTheLaterEntryWins()
    {
        FleetState state;
        state.update({drone(7, 47.1), drone(7, 47.3)});
        QCOMPARE(state.snapshot()->drones.size(), size_t(1));
        QCOMPARE(state.snapshot()->drones[0].latitude, 47.3);
    }

    void everyWriteIsOneGenerationAndEmptyWritesNone()
    {
        FleetState state;
        QCOMPARE(state.generation(), quint64(0));
        state.update({drone(1)});
        QCOMPARE(state.generation(), quint64(1));
        state.update({});
        state.apply({});
        QCOMPARE(state.generation(), quint64(1));
        state.apply({{drone(2)}, {delivery(QStringLiteral("d1"), StageCreated)}, {}, {}});
        QCOMPARE(state.generation(), quint64(2));
        QCOMPARE(state.snapshot()->generation, quint64(2));
    }

    void aSnapshotNeverChangesAfterItIsTaken()
    {
        FleetState state;
        state.update({drone(1, 47.1)});
        const auto before = state.snapshot();
        state.update({drone(1, 47.9), drone(2)});
        QCOMPARE(before->drones.size(), size_t(1));
        QCOMPARE(before->drones[0].latitude, 47.1);
        QCOMPARE(before->generation, quint64(1));
        const auto after = state.snapshot();
        QCOMPARE(after->drones.size(), size_t(2));
        QCOMPARE(after->drones[0].latitude, 47.9);
    }

    void takingASnapshotDoesNotCopyTheFleet()
    {
        FleetState state;
        state.update({drone(1)});
        QCOMPARE(state.snapshot().get(), state.snapshot().get());
    }

    void removingADroneKeepsTheIndexOfTheOthers()
    {
        FleetState state;
        state.update({drone(1), drone(2), drone(3), drone(4)});
        state.removeDrones({droneName(2), QStringLiteral("unknown")});
        QCOMPARE(state.droneCount(), 3);
        // drone 4 was swapped into the hole; updating it must not append a duplicate.
        state.update({drone(4, 48.0), drone(2, 46.0)});
        const auto snapshot = state.snapshot();
        QCOMPARE(snapshot->drones.size(), size_t(4));
        QCOMPARE(find(*snapshot, droneName(4))->latitude, 48.0);
        QCOMPARE(find(*snapshot, droneName(2))->latitude, 46.0);
        QCOMPARE(find(*snapshot, droneName(1))->latitude, 47.6);
    }

    void deliveryMarkersMergeAndTheirGenerationMovesOnlyWithThem()
    {
        FleetState state;
        state.updateDeliveries({delivery(QStringLiteral("d1"), StageCreated), delivery(QStringLiteral("d2"), StageCreated)});
        const quint64 markersAt = state.snapshot()->deliveryGeneration;
        QCOMPARE(markersAt, state.generation());
        state.update({drone(1)});
        QCOMPARE(state.snapshot()->deliveryGeneration, markersAt);
        state.apply({{}, {delivery(QStringLiteral("d1"), StageHeadedToDropoff)}, {}, {QStringLiteral("d2")}});
        const auto snapshot = state.snapshot();
        QCOMPARE(snapshot->deliveries.size(), size_t(1));
        QCOMPARE(snapshot->deliveries[0].stage, int(StageHeadedToDropoff));
        QVERIFY(snapshot->deliveryGeneration > markersAt);
    }

    void clearEmptiesButKeepsGenerationsIncreasing()
    {
        FleetState state;
        state.update({drone(1)});
        const quint64 before = state.generation();
        state.clear();
        QCOMPARE(state.droneCount(), 0);
        QVERIFY(state.generation() > before);
        state.update({drone(1)});
        QCOMPARE(state.droneCount(), 1);
    }

    void twoWriterThreadsEachLeaveTheirLatestValue()
    {
        // Each writer owns half the ids and also writes a shared set; every batch of a
        // writer carries its iteration number, so the latest value is checkable.
        constexpr int perWriter = 500, shared = 100, iterations = 200;
        FleetState state;
        const auto writer = [&state](int first) {
            for (int it = 0; it < iterations; ++it) {
                std::vector<DroneView> batch;
                for (int i = 0; i < perWriter; ++i)
                    batch.push_back(drone(first + i, 47.0, DroneFlyingToDropoff, float(it)));
                for (int i = 0; i < shared; ++i)
                    batch.push_back(drone(90000 + i, 47.0, DroneFlyingToDropoff, float(it)));
                state.update(std::move(batch));
            }
        };
        std::thread a(writer, 0), b(writer, perWriter);
        a.join();
        b.join();
        const auto snapshot = state.snapshot();
        QCOMPARE(snapshot->drones.size(), size_t(2 * perWriter + shared));
        QCOMPARE(state.generation(), quint64(2 * iterations));
        for (const DroneView &d : snapshot->drones)
            QCOMPARE(d.battery, float(iterations - 1));
    }

    void snapshotsStayConsistentWhileTwoThreadsWrite()
    {
        // Every batch rewrites all drones with one stamp; a snapshot mixing two stamps
        // would be a torn read.
        constexpr int drones = 2000, iterations = 150;
        FleetState state;
        std::vector<DroneView> seed;
        for (int i = 0; i < drones; ++i)
            seed.push_back(drone(i));
        state.update(seed);
        std::atomic<bool> done{false};
        const auto writer = [&](int writerId) {
            for (int it = 0; it < iterations; ++it) {
                std::vector<DroneView> batch = seed;
                for (DroneView &d : batch) {
                    d.battery = float(writerId * 100000 + it);
                    d.heading = float(it);
                }
                state.update(std::move(batch));
            }
        };
        std::thread a(writer, 1), b(writer, 2);
        std::thread stopper([&] {
            a.join();
            b.join();
            done = true;
        });
        quint64 lastGeneration = 0;
        int snapshots = 0;
        std::array<float, 3> lastHeading{-1, -1, -1};
        while (!done.load() || snapshots == 0) {
            const auto snapshot = state.snapshot();
            ++snapshots;
            QVERIFY(snapshot->generation >= lastGeneration);
            lastGeneration = snapshot->generation;
            const float stamp = snapshot->drones.front().battery;
            for (const DroneView &d : snapshot->drones)
                QCOMPARE(d.battery, stamp);
            const int writerId = int(stamp) / 100000;
            if (writerId > 0) { // each writer's batches appear in order
                QVERIFY(snapshot->drones.front().heading >= lastHeading[size_t(writerId)]);
                lastHeading[size_t(writerId)] = snapshot->drones.front().heading;
            }
        }
        stopper.join();
        QCOMPARE(state.generation(), quint64(1 + 2 * iterations));
        QVERIFY(snapshots > 0);
    }

    void fiftyThousandDronesMergeByIdWithoutDuplicates()
    {
        constexpr int count = 50000;
        FleetState state;
        std::vector<DroneView> all;
        all.reserve(count);
        for (int i = 0; i < count; ++i)
            all.push_back(drone(i, 47.5));
        state.update(all);
        for (DroneView &d : all) {
            d.latitude = 47.7;
            d.state = DroneReturning;
        }
        // Updates arrive in another order than the drones were first seen.
        std::reverse(all.begin(), all.end());
        state.update(std::move(all));
        const auto snapshot = state.snapshot();
        QCOMPARE(snapshot->drones.size(), size_t(count));
        QCOMPARE(snapshot->generation, quint64(2));
        for (int i = 0; i < count; i += 997) {
            QCOMPARE(snapshot->drones[size_t(i)].id, droneName(i));
            QCOMPARE(snapshot->drones[size_t(i)].latitude, 47.7);
            QCOMPARE(snapshot->drones[size_t(i)].state, int(DroneReturning));
        }
        std::vector<QString> half;
        for (int i = 0; i < count; i += 2)
            half.push_back(droneName(i));
        state.removeDrones(std::move(half));
        QCOMPARE(state.droneCount(), count / 2);
        state.update({drone(1, 40.0)});
        QCOMPARE(state.droneCount(), count / 2);
        QCOMPARE(find(*state.snapshot(), droneName(1))->latitude, 40.0);
    }

    void theSourceSignalsOnItsOwnThreadForWritesFromAnother()
    {
        FleetStateSource source;
        source.setInterval(0);
        QThread *signalledOn = nullptr;
        connect(&source, &FleetStateSource::changed, this, [&] { signalledOn = QThread::currentThread(); });
        QSignalSpy changed(&source, &FleetStateSource::changed);
        const std::shared_ptr<FleetState> state = source.state();
        std::thread writer([state] { state->update({drone(1), drone(2)}); });
        writer.join();
        QTRY_COMPARE(changed.count(), 1);
        QCOMPARE(signalledOn, QThread::currentThread());
        QCOMPARE(source.droneCount(), 2);
        QCOMPARE(source.generation(), qulonglong(1));
    }

    void theSourceCoalescesABurstIntoFewSignals()
    {
        FleetStateSource source;
        source.setInterval(1000); // long, so a loaded machine cannot outrun the hold-off
        QSignalSpy changed(&source, &FleetStateSource::changed);
        const std::shared_ptr<FleetState> state = source.state();
        state->update({drone(1)});
        QTRY_COMPARE(changed.count(), 1); // the first write after a quiet spell goes out at once

        std::thread writer([state] {
            for (int i = 0; i < 49; ++i)
                state->update({drone(1, 47.0 + i * 0.001)});
        });
        writer.join();
        QCoreApplication::processEvents();
        QCOMPARE(changed.count(), 1);     // held off...
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 3000); // ...then one signal for the whole burst
        QCOMPARE(source.generation(), qulonglong(50));
        source.flush(); // nothing newer: no signal
        QCOMPARE(changed.count(), 2);
    }

    void aWriterOutlivingTheSourceIsHarmless()
    {
        std::shared_ptr<FleetState> state;
        {
            FleetStateSource source;
            state = source.state();
        }
        state->update({drone(1)}); // no notifier left to call into a dead QObject
        QCOMPARE(state->droneCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFleetState)
#include "tst_fleet_state.moc"
