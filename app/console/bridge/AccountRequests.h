// The console's account calls on the bridge thread: Account.List (every page), Account.Get, Account.SetStatus.
#pragma once

#include "models/AccountRecords.h"

#include "net/rpc/RpcClient.h"
#include "services.pb.h"

#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace dd::console {

/// Bridge thread only. Reads are idempotent (retried by the mesh); a status change is
/// sent once and its outcome, good or bad, reported once through finished().
class AccountRequests
{
public:
    struct Outputs
    {
        /// Every account listed (up to the cap) and the service's total.
        std::function<void(std::vector<AccountRecord> accounts, int total)> listed;
        /// One account as Get or SetStatus answered it.
        std::function<void(AccountRecord account)> account;
        /// An account's change log as Get answered it (newest first).
        std::function<void(QString ownerId, std::vector<AccountChangeRecord> changes)> changes;
        std::function<void(QString action, bool ok, QString message, QString field)> finished;
    };

    AccountRequests(net::RpcClient &account, net::CallOptions readOptions, net::CallOptions writeOptions,
        Outputs outputs, std::size_t maxAccounts = 20000);
    ~AccountRequests();
    AccountRequests(const AccountRequests &) = delete;
    AccountRequests &operator=(const AccountRequests &) = delete;

    /// Account.List page by page; a call while one runs makes one more run after it.
    /// Reports "loadAccounts" through finished() only when it fails.
    void list();
    /// Account.Get: the row and its change log; "selectAccount" through finished().
    void get(const QString &ownerId);
    /// Account.SetStatus ("suspend" or "reinstate" in finished()), then Get and List again.
    /// `credential`: the signed-in person's, minted by the bridge; Account verifies it.
    void setStatus(const QString &ownerId, bool active, const std::string &reason,
                   const dronedelivery::v1::Credential &credential);

    static AccountRecord record(const dronedelivery::v1::Account &account);
    static AccountChangeRecord change(const dronedelivery::v1::AccountChange &change);

private:
    void listPage(std::string after, std::vector<AccountRecord> loaded);
    void listDone();

    net::RpcClient &m_account;
    net::CallOptions m_readOptions, m_writeOptions;
    Outputs m_out;
    std::size_t m_maxAccounts;
    bool m_listing = false;
    bool m_listAgain = false;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::console
