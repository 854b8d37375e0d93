// Unit tests of the edge's cancel / reschedule contract against the delivery's stage.
#include "backend/ingestion/StageCheck.h"

#include <QtTest>

using namespace dd::backend;
using namespace dronedelivery::v1;
using Verdict = StageCheck::Verdict;

namespace {
DeliveryRequest request(RequestOperation op)
{
    DeliveryRequest r;
    r.set_operation(op);
    r.set_delivery_id("d-1");
    return r;
}
Delivery at(DeliveryStage stage)
{
    Delivery d;
    d.set_delivery_id("d-1");
    d.set_stage(stage);
    return d;
}
const dd::net::RpcStatus kOk;
} // namespace

class TestStageCheck : public QObject
{
    Q_OBJECT
private slots:
    void unknownIdsAreNotFoundUnlessJustAccepted()
    {
        const dd::net::RpcStatus notFound(NOT_FOUND, "no delivery d-1");
        const StageCheck check = StageCheck::of(request(CANCEL), notFound, {}, false);
        QCOMPARE(int(check.verdict), int(Verdict::Refuse));
        QCOMPARE(int(check.refusal.kind), int(AcceptResult::Kind::NotFound));
        // Still in Ingestion's outbox: a cancel may stop it; a reschedule must wait for its placement.
        QCOMPARE(int(StageCheck::of(request(CANCEL), notFound, {}, true).verdict), int(Verdict::Accept));
        QCOMPARE(int(StageCheck::of(request(RESCHEDULE), notFound, {}, true).verdict), int(Verdict::Refuse));
    }

    void terminalStagesAreConflicts()
    {
        for (DeliveryStage stage : {STAGE_COMPLETED, STAGE_FAILED}) {
            const StageCheck check = StageCheck::of(request(CANCEL), kOk, at(stage), false);
            QCOMPARE(int(check.verdict), int(Verdict::Refuse));
            QCOMPARE(int(check.refusal.kind), int(AcceptResult::Kind::Conflict));
        }
        for (DeliveryStage stage : {STAGE_COMPLETED, STAGE_FAILED, STAGE_CANCELLED, STAGE_REQUESTED})
            QCOMPARE(int(StageCheck::of(request(RESCHEDULE), kOk, at(stage), false).refusal.kind),
                     int(AcceptResult::Kind::Conflict));
        QCOMPARE(int(StageCheck::of(request(CANCEL), kOk, at(STAGE_CANCELLED), false).verdict), int(Verdict::AlreadyDone));
    }

    void liveStagesAndUnknownAnswersGoAhead()
    {
        for (DeliveryStage stage : {STAGE_CREATED, STAGE_HEADED_TO_PICKUP, STAGE_HEADED_TO_DROPOFF, STAGE_RESCHEDULED}) {
            QCOMPARE(int(StageCheck::of(request(CANCEL), kOk, at(stage), false).verdict), int(Verdict::Accept));
            QCOMPARE(int(StageCheck::of(request(RESCHEDULE), kOk, at(stage), false).verdict), int(Verdict::Accept));
        }
        QCOMPARE(int(StageCheck::of(request(CANCEL), kOk, at(STAGE_REQUESTED), false).verdict), int(Verdict::Accept));
        const dd::net::RpcStatus down(CIRCUIT_OPEN, "no healthy instance of delivery");
        QCOMPARE(int(StageCheck::of(request(CANCEL), down, {}, false).verdict), int(Verdict::Accept));
    }
};

QTEST_GUILESS_MAIN(TestStageCheck)
#include "tst_stage_check.moc"
