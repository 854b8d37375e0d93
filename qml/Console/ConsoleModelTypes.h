// Makes the console's models (app/console/models, a plain library) known to QML as uncreatable types of DroneConsole.
#pragma once

#include "models/AccountChangeModel.h"
#include "models/AccountFilterModel.h"
#include "models/AccountListModel.h"
#include "models/AuditLogModel.h"
#include "models/DeliveryFilterModel.h"
#include "models/DeliveryListModel.h"
#include "models/DroneListModel.h"
#include "models/FaultRuleModel.h"
#include "models/RouteHealthModel.h"
#include "models/ServiceNodeModel.h"
#include "models/TimelineModel.h"
#include "models/TraceSpanModel.h"
#include "models/TransactionListModel.h"

#include <QtQml/qqml.h>
#include <QtQml/qqmlregistration.h>

// The models stay free of QML registration (the tests and the bridge use them without
// an engine); these foreign declarations give QML their properties and invokables, so
// `Console.deliveryFilter.stageFilter` is typed, not looked up at run time.
namespace dd::console::qmltypes {

struct DroneListModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::DroneListModel)
    QML_NAMED_ELEMENT(DroneListModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct DeliveryListModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::DeliveryListModel)
    QML_NAMED_ELEMENT(DeliveryListModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct DeliveryFilterModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::DeliveryFilterModel)
    QML_NAMED_ELEMENT(DeliveryFilterModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct TransactionListModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::TransactionListModel)
    QML_NAMED_ELEMENT(TransactionListModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct TimelineModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::TimelineModel)
    QML_NAMED_ELEMENT(TimelineModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct TraceSpanModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::TraceSpanModel)
    QML_NAMED_ELEMENT(TraceSpanModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct RouteHealthModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::RouteHealthModel)
    QML_NAMED_ELEMENT(RouteHealthModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct ServiceNodeModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::ServiceNodeModel)
    QML_NAMED_ELEMENT(ServiceNodeModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct AuditLogModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::AuditLogModel)
    QML_NAMED_ELEMENT(AuditLogModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct FaultRuleModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::FaultRuleModel)
    QML_NAMED_ELEMENT(FaultRuleModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct AccountListModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::AccountListModel)
    QML_NAMED_ELEMENT(AccountListModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct AccountFilterModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::AccountFilterModel)
    QML_NAMED_ELEMENT(AccountFilterModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

struct AccountChangeModelForeign
{
    Q_GADGET
    QML_FOREIGN(dd::console::AccountChangeModel)
    QML_NAMED_ELEMENT(AccountChangeModel)
    QML_UNCREATABLE("provided by the Console singleton")
};

} // namespace dd::console::qmltypes
