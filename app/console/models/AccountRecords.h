// Plain rows of accounts (Account.List / Get) that the bridge builds on its thread and the account models hold.
#pragma once

#include <QString>

namespace dd::console {

/// One owner's account. Times are ms since the epoch, 0 = none.
struct AccountRecord
{
    QString ownerId;
    QString name;
    bool active = true; ///< false: suspended
    QString suspensionReason;
    bool registeredOnFirstUse = false; ///< made by the open policy when a request named the owner
    qint64 createdAt = 0, updatedAt = 0;

    bool operator==(const AccountRecord &) const = default;
};

/// One entry of an account's change log: who registered, suspended or reinstated it.
struct AccountChangeRecord
{
    qint64 at = 0; ///< ms
    QString user, role;
    QString action; ///< "registered", "suspend", "reinstate"
    QString reason;

    bool operator==(const AccountChangeRecord &) const = default;
};

} // namespace dd::console
