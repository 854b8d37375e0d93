// Fuzzes the HTTP API's tokens file parser and the Authorization header check (backend/gateway/AccessControl).
#include "FuzzCheck.h"
#include "backend/gateway/AccessControl.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>

using namespace dd::backend;

namespace {
/// Whether `token` is the first word of some line of the file (before any '#'), as text.
bool fileNames(const QByteArray &file, const QString &token)
{
    for (QByteArray line : file.split('\n')) {
        const int comment = line.indexOf('#');
        if (comment >= 0)
            line.truncate(comment);
        if (QString::fromUtf8(line).simplified().split(QLatin1Char(' ')).value(0) == token)
            return true;
    }
    return false;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    FuzzedDataProvider input(data, size);
    const QByteArray authorization = QByteArray::fromStdString(input.ConsumeRandomLengthString(300));
    const QByteArray file = QByteArray::fromStdString(input.ConsumeRemainingBytesAsString());

    AccessControl access;
    QString error;
    const bool loaded = access.parse(file, &error);
    DD_FUZZ_CHECK(loaded == access.enabled());
    DD_FUZZ_CHECK(loaded || !error.isEmpty());
    if (!loaded)
        return 0;
    // A header is let in only with a token the file really holds, byte for byte.
    if (const auto principal = access.authenticate(authorization)) {
        const QByteArray token = authorization.trimmed().mid(7).trimmed();
        // Text that is no UTF-8 decodes lossily: two different byte strings must not both match.
        DD_FUZZ_CHECK(QString::fromUtf8(token).toUtf8() == token);
        DD_FUZZ_CHECK(fileNames(file, QString::fromUtf8(token)));
        DD_FUZZ_CHECK(!principal->user.isEmpty());
    }
    for (const Permission permission : {Permission::Public, Permission::Read, Permission::Dispatch,
                                        Permission::Supervise, Permission::Administer})
        (void)AccessControl::allows(Role::Dispatcher, permission);
    return 0;
}
