// DeliveryForm: form → API JSON → DeliveryRequestJson, with the error field mapped back to the form's key.
#include "bridge/DeliveryForm.h"

#include "backend/domain/PlaceResolver.h"
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

/// The first location of the form that is neither coordinates nor a gazetteer place.
bool strictPlaces(const QVariantMap &form, DeliveryForm::Result &result)
{
    for (const char *key : {"pickupLocation", "dropOffLocation"}) {
        const QString text = form.value(QLatin1String(key)).toString().trimmed();
        if (text.isEmpty())
            continue; // the gateway's rules decide whether it is required
        const auto resolved
            = domain::PlaceResolver::standard().resolve(text.toStdString(), key, domain::PlacePolicy::Strict);
        if (!resolved.ok) {
            result.ok = false;
            result.field = QLatin1String(key);
            result.message = QString::fromStdString(resolved.error.message);
            return false;
        }
    }
    return true;
}

} // namespace

QVariantMap DeliveryForm::describePlace(const QString &text)
{
    const domain::PlacePreview preview
        = domain::describePlace(text.trimmed().toStdString(), domain::PlacePolicy::Strict);
    QStringList suggestions;
    for (const std::string &name : preview.suggestions)
        suggestions.append(QString::fromStdString(name));
    return {{QStringLiteral("ok"), preview.ok}, {QStringLiteral("text"), QString::fromStdString(preview.text)},
        {QStringLiteral("suggestions"), suggestions}};
}

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
    result.ok = strictPlaces(form, result);
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
    result.ok = strictPlaces(form, result);
    return result;
}

} // namespace dd::console
