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
