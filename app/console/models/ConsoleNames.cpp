// ConsoleNames: the gateway's enum naming, so the console and the HTTP API say the same words.
#include "models/ConsoleNames.h"

#include "backend/gateway/ApiJson.h"
#include "domain.pb.h"
#include "services.pb.h"
#include "workflow.pb.h"

namespace dd::console {

using backend::ApiJson;
using namespace dronedelivery::v1;

namespace {
QString nameOrEmpty(const google::protobuf::EnumDescriptor *type, int value)
{
    return ApiJson::enumName(type, value); // "Unknown" for UNSPECIFIED and unknown numbers
}
} // namespace

QString ConsoleNames::stage(int deliveryStage)
{
    return nameOrEmpty(DeliveryStage_descriptor(), deliveryStage);
}

QString ConsoleNames::droneState(int droneState)
{
    return nameOrEmpty(DroneState_descriptor(), droneState);
}

QString ConsoleNames::transactionState(int transactionState)
{
    return nameOrEmpty(TransactionState_descriptor(), transactionState);
}

QString ConsoleNames::compensationState(int compensationState)
{
    return nameOrEmpty(CompensationState_descriptor(), compensationState);
}

QString ConsoleNames::step(int workflowStep)
{
    return nameOrEmpty(WorkflowStep_descriptor(), workflowStep);
}

QString ConsoleNames::operation(int requestOperation)
{
    return nameOrEmpty(RequestOperation_descriptor(), requestOperation);
}

QString ConsoleNames::breakerKey(const QString &state)
{
    return state.trimmed().toLower().replace(QLatin1Char('-'), QLatin1Char('_'));
}

QString ConsoleNames::breakerState(const QString &state)
{
    const QString key = breakerKey(state);
    if (key == QLatin1String("closed"))
        return QStringLiteral("Closed");
    if (key == QLatin1String("open"))
        return QStringLiteral("Open");
    if (key == QLatin1String("half_open"))
        return QStringLiteral("Half-open");
    if (key == QLatin1String("isolated"))
        return QStringLiteral("Isolated");
    if (key == QLatin1String("forced_closed"))
        return QStringLiteral("Forced closed");
    if (key.isEmpty())
        return {};
    QString words = key;
    words.replace(QLatin1Char('_'), QLatin1Char(' '));
    return words.left(1).toUpper() + words.mid(1);
}

QString ConsoleNames::failureStep(const QString &step)
{
    const QString key = step.trimmed().toLower().remove(QLatin1Char('_'));
    if (key.isEmpty())
        return {};
    // The workflow's own enum names, so a failure reads the same here and in Transactions.
    for (int value = STEP_ACCOUNT; value <= STEP_REGISTER; ++value) {
        const QString name = ConsoleNames::step(value);
        if (name.toLower() == key)
            return name;
    }
    return step.left(1).toUpper() + step.mid(1);
}

QString ConsoleNames::deliveryReason(
    int deliveryStage, const QString &waiting, const QString &failureStep, const QString &failureError)
{
    if (deliveryStage == STAGE_REQUESTED)
        return waiting.isEmpty() ? QStringLiteral("accepted, being scheduled")
                                 : QStringLiteral("waiting: %1").arg(waiting);
    if (deliveryStage != STAGE_FAILED)
        return {};
    const QString step = ConsoleNames::failureStep(failureStep);
    if (step.isEmpty())
        return failureError.isEmpty() ? QStringLiteral("failed") : failureError;
    return QStringLiteral("failed at %1: %2").arg(step, failureError);
}

bool ConsoleNames::isFlying(int droneState)
{
    return droneState == FLYING_TO_PICKUP || droneState == FLYING_TO_DROPOFF || droneState == RETURNING;
}

bool ConsoleNames::isActiveStage(int deliveryStage)
{
    return deliveryStage != STAGE_COMPLETED && deliveryStage != STAGE_CANCELLED && deliveryStage != STAGE_FAILED
        && deliveryStage != STAGE_UNSPECIFIED;
}

} // namespace dd::console
