// AccountRequests: paging through Account.List, Get for the change log, SetStatus reported with the account's new
// state.
#include "bridge/AccountRequests.h"

#include "models/AccountListModel.h"

namespace dd::console {

using namespace dronedelivery::v1;
using net::RpcResult;

namespace {
constexpr std::uint32_t kAccountPage = 1000; // the service's largest page

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

qint64 millis(std::int64_t micros)
{
    return micros / 1000;
}
} // namespace

AccountRequests::AccountRequests(net::RpcClient &account, net::CallOptions readOptions, net::CallOptions writeOptions,
    Outputs outputs, std::size_t maxAccounts)
    : m_account(account)
    , m_readOptions(std::move(readOptions))
    , m_writeOptions(std::move(writeOptions))
    , m_out(std::move(outputs))
    , m_maxAccounts(maxAccounts)
{
}

AccountRequests::~AccountRequests()
{
    *m_alive = false;
}

AccountRecord AccountRequests::record(const Account &account)
{
    AccountRecord r;
    r.ownerId = text(account.owner_id());
    r.name = text(account.name());
    r.active = account.active();
    r.suspensionReason = text(account.suspension_reason());
    r.registeredOnFirstUse = account.registered_on_first_use();
    r.createdAt = millis(account.created_at_us());
    r.updatedAt = millis(account.updated_at_us());
    return r;
}

AccountChangeRecord AccountRequests::change(const AccountChange &change)
{
    return {
        millis(change.at_us()), text(change.user()), text(change.role()), text(change.action()), text(change.reason())};
}

void AccountRequests::list()
{
    if (m_listing) {
        m_listAgain = true; // something changed since that run started: list once more after it
        return;
    }
    m_listing = true;
    listPage({}, {});
}

void AccountRequests::listPage(std::string after, std::vector<AccountRecord> loaded)
{
    AccountListRequest request;
    request.set_limit(kAccountPage);
    request.set_after(after);
    m_account.call<AccountList>("List", request, m_readOptions,
        [this, alive = m_alive, loaded = std::move(loaded)](RpcResult<AccountList> &&page) mutable {
            if (!*alive)
                return;
            if (!page.ok()) {
                m_out.finished(QStringLiteral("loadAccounts"), false, text(page.status.toString()), {});
                return listDone();
            }
            for (const Account &account : page.value.accounts())
                loaded.push_back(record(account));
            if (!page.value.next_after().empty() && loaded.size() < m_maxAccounts)
                return listPage(page.value.next_after(), std::move(loaded));
            m_out.listed(std::move(loaded), int(page.value.total()));
            listDone();
        });
}

void AccountRequests::listDone()
{
    m_listing = false;
    if (std::exchange(m_listAgain, false))
        list();
}

void AccountRequests::get(const QString &ownerId)
{
    AccountCheckRequest request;
    request.set_owner_id(ownerId.toStdString());
    m_account.call<Account>("Get", request, m_readOptions, [this, alive = m_alive, ownerId](RpcResult<Account> &&r) {
        if (!*alive)
            return;
        static const QString action = QStringLiteral("selectAccount");
        if (!r.ok())
            return m_out.finished(action, false, text(r.status.toString()), text(r.status.field));
        std::vector<AccountChangeRecord> changes;
        for (const AccountChange &c : r.value.changes())
            changes.push_back(change(c));
        m_out.account(record(r.value));
        m_out.changes(ownerId, std::move(changes));
        m_out.finished(action, true, {}, {});
    });
}

void AccountRequests::setStatus(const QString &ownerId, bool active, const std::string &reason,
                                const dronedelivery::v1::Credential &credential)
{
    const QString action = active ? QStringLiteral("reinstate") : QStringLiteral("suspend");
    AccountStatusRequest request;
    request.set_owner_id(ownerId.toStdString());
    request.set_active(active);
    request.set_reason(reason);
    *request.mutable_credential() = credential;
    m_account.call<Account>(
        "SetStatus", request, m_writeOptions, [this, alive = m_alive, action, ownerId](RpcResult<Account> &&r) {
            if (!*alive)
                return;
            if (!r.ok()) {
                m_out.finished(action, false, text(r.status.toString()), text(r.status.field));
            } else {
                // What the service now has, not what was asked: it may already have been so.
                const AccountRecord account = record(r.value);
                m_out.account(account);
                QString message
                    = QStringLiteral("%1 (%2) is %3")
                          .arg(account.ownerId, account.name, AccountListModel::standingOf(account.active).toLower());
                if (!account.active && !account.suspensionReason.isEmpty())
                    message += QStringLiteral(": ") + account.suspensionReason;
                m_out.finished(action, true, message, {});
            }
            // Either way the rows and the log are read again: a refusal may come from a stale row.
            get(ownerId);
            list();
        });
}

} // namespace dd::console
