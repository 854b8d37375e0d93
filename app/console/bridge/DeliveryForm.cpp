// DeliveryForm: form → API JSON → DeliveryRequestJson, with the error field mapped back to the form's key.
#include "bridge/DeliveryForm.h"

#include "backend/gateway/DeliveryRequestJson.h"

#include <QDateTime>
#include <QJsonValue>

namespace dd::console {

using backend::DeliveryRequestJson;

namespace {

QJsonValue jsonOf(const QVariant &value)
{
    if (value.metaType().id() == QMetaType::QDateTime)
        return value.toDateTime().toUTC().toString(Qt::ISODateWithMs);
    if (value.metaType().id() == QMetaType::QDate)
        return value.toDate().toString(Qt::ISODate);
    if (value.metaType().id() == QMetaType::QString && value.toString().trimmed().isEmpty())
        return QJsonValue(QJsonValue::Null); // an empty box in the form: not given
    return QJsonValue::fromVariant(value);
}

QString formField(const QString &apiField)
{
    static const QString prefix = QStringLiteral("packageInfo.");
    if (apiField.startsWith(prefix))
        return apiField.mid(prefix.size());
    if (apiField == QLatin1String("dropoffLocation"))
        return QStringLiteral("dropOffLocation");
    return apiField;
}

DeliveryForm::Result failed(const DeliveryRequestJson::Error &error)
{
    DeliveryForm::Result result;
    result.field = formField(error.field);
    result.message = error.message;
    return result;
}

} // namespace

QJsonObject DeliveryForm::toJson(const QVariantMap &form)
{
    static const QStringList packageKeys{QStringLiteral("packageId"), QStringLiteral("size"), QStringLiteral("weight"),
                                         QStringLiteral("tag")};
    QJsonObject body;
    QJsonObject package;
    for (auto it = form.constBegin(); it != form.constEnd(); ++it) {
        const QJsonValue value = jsonOf(it.value());
        if (value.isNull() || value.isUndefined())
            continue;
        if (packageKeys.contains(it.key()))
            package.insert(it.key(), value);
        else
            body.insert(it.key(), value);
    }
    if (!package.isEmpty())
        body.insert(QStringLiteral("packageInfo"), package);
    return body;
}

DeliveryForm::Result DeliveryForm::schedule(const QVariantMap &form)
{
    Result result;
    if (const auto error = DeliveryRequestJson::readSchedule(toJson(form), result.request))
        return failed(*error);
    result.ok = true;
    return result;
}

DeliveryForm::Result DeliveryForm::reschedule(const QString &deliveryId, const QVariantMap &form)
{
    Result result;
    if (!DeliveryRequestJson::validId(deliveryId)) {
        result.field = QStringLiteral("deliveryId");
        result.message = deliveryId.isEmpty() ? QStringLiteral("choose a delivery to reschedule")
                                              : QStringLiteral("\"%1\" is not a delivery id").arg(deliveryId);
        return result;
    }
    if (const auto error = DeliveryRequestJson::readReschedule(toJson(form), deliveryId.toStdString(), result.request))
        return failed(*error);
    result.ok = true;
    return result;
}

} // namespace dd::console
