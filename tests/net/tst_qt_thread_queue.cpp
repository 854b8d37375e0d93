// QtThreadQueue: tasks from other threads run on the object's thread, in order, and die with it.
#include "net/transport/QtThreadQueue.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <thread>

using dd::net::QtThreadQueue;

class TestQtThreadQueue : public QObject
{
    Q_OBJECT
signals:
    void ran();

private slots:
    void tasksFromAnotherThreadRunOnTheObjectsThreadInOrder()
    {
        QObject owner;
        auto *queue = new QtThreadQueue(&owner);
        std::vector<int> order;
        std::vector<QThread *> threads;
        constexpr int kTasks = 500;
        QSignalSpy done(this, &TestQtThreadQueue::ran);
        std::thread producer([&] {
            for (int i = 0; i < kTasks; ++i)
                queue->post([&, i] {
                    order.push_back(i);
                    threads.push_back(QThread::currentThread());
                    if (i == kTasks - 1)
                        emit ran();
                });
        });
        producer.join();
        QVERIFY(order.empty()); // nothing runs on the producer's thread, nor before the loop turns
        QVERIFY(done.wait(10000));
        QCOMPARE(int(order.size()), kTasks);
        for (int i = 0; i < kTasks; ++i) {
            QCOMPARE(order[std::size_t(i)], i);
            QCOMPARE(threads[std::size_t(i)], QThread::currentThread());
        }
    }

    void aTaskPostedWhileDrainingRunsInALaterTurn()
    {
        QObject owner;
        auto *queue = new QtThreadQueue(&owner);
        QStringList seen;
        QSignalSpy done(this, &TestQtThreadQueue::ran);
        queue->post([&] {
            seen << "first";
            queue->post([&] {
                seen << "second";
                emit ran();
            });
            seen << "first-end";
        });
        QVERIFY(done.wait(10000));
        QCOMPARE(seen, (QStringList{"first", "first-end", "second"}));
    }

    void tasksNotYetRunDieWithTheObject()
    {
        bool executed = false;
        {
            QObject owner;
            auto *queue = new QtThreadQueue(&owner);
            queue->post([&] { executed = true; });
        } // destroyed before the event loop turned
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents();
        QVERIFY(!executed);
    }

    void aTaskThatDestroysTheQueueStopsTheRest()
    {
        auto *owner = new QObject;
        auto *queue = new QtThreadQueue(owner);
        int executed = 0;
        QSignalSpy destroyed(owner, &QObject::destroyed);
        queue->post([&] {
            ++executed;
            delete owner;
        });
        queue->post([&] { ++executed; });
        QVERIFY(destroyed.wait(10000));
        QCoreApplication::processEvents();
        QCOMPARE(executed, 1);
    }
};

QTEST_GUILESS_MAIN(TestQtThreadQueue)
#include "tst_qt_thread_queue.moc"
