// AccountStore: owners by id, seeded once, registered on first use, suspended and reinstated with a log.
#include "backend/account/AccountStore.h"

namespace dd::backend {

using namespace dronedelivery::v1;

namespace {
constexpr const char *kColumns = "owner_id, name, active, suspension_reason, registered, created_at, updated_at";

bool hasColumn(SqliteDb &db, const char *table, const char *column)
{
    auto info = db.prepare(std::string("PRAGMA table_info(") + table + ")");
    while (info.step())
        if (info.text(1) == column)
            return true;
    return false;
}
} // namespace

AccountStore::AccountStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS accounts ("
              " owner_id TEXT PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL,"
              " suspension_reason TEXT NOT NULL DEFAULT '') WITHOUT ROWID");
    // Version 2: when and how an account came to be (a store of version 1 is migrated in place).
    if (!hasColumn(m_db, "accounts", "registered")) {
        m_db.exec("ALTER TABLE accounts ADD COLUMN registered INTEGER NOT NULL DEFAULT 0");
        m_db.exec("ALTER TABLE accounts ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0");
        m_db.exec("ALTER TABLE accounts ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0");
    }
    m_db.exec("CREATE TABLE IF NOT EXISTS account_changes ("
              " owner_id TEXT NOT NULL, at INTEGER NOT NULL, user TEXT NOT NULL, role TEXT NOT NULL,"
              " action TEXT NOT NULL, reason TEXT NOT NULL)");
    m_db.exec("CREATE INDEX IF NOT EXISTS account_changes_owner ON account_changes(owner_id, at)");
    m_find = m_db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE owner_id = ?");
    m_count = m_db.prepare("SELECT COUNT(*) FROM accounts");
    m_insert = m_db.prepare(std::string("INSERT OR IGNORE INTO accounts (") + kColumns + ") VALUES (?,?,?,?,?,?,?)");
    m_update = m_db.prepare("UPDATE accounts SET active = ?, suspension_reason = ?, updated_at = ? WHERE owner_id = ?");
    m_insertChange = m_db.prepare("INSERT INTO account_changes VALUES (?,?,?,?,?,?)");
    m_changes = m_db.prepare("SELECT at, user, role, action, reason FROM account_changes WHERE owner_id = ?"
                             " ORDER BY at DESC, rowid DESC LIMIT 100");
}

Account AccountStore::read(const Statement &row)
{
    Account account;
    account.set_owner_id(row.text(0));
    account.set_name(row.text(1));
    account.set_active(row.integer(2) != 0);
    account.set_suspension_reason(row.text(3));
    account.set_registered_on_first_use(row.integer(4) != 0);
    account.set_created_at_us(row.integer(5));
    account.set_updated_at_us(row.integer(6));
    return account;
}

int AccountStore::seedIfEmpty(const std::vector<Account> &accounts)
{
    int inserted = 0;
    // One transaction: the emptiness check and the inserts are atomic, and one fsync covers them all.
    m_db.transaction([&] {
        if (count() != 0)
            return;
        for (const auto &account : accounts) {
            insertRegistered(account);
            ++inserted;
        }
    });
    return inserted;
}

void AccountStore::insertRegistered(const Account &account)
{
    m_insert.bind(1, account.owner_id())
        .bind(2, account.name())
        .bind(3, account.active() ? 1 : 0)
        .bind(4, account.suspension_reason())
        .bind(5, account.registered_on_first_use() ? 1 : 0)
        .bind(6, account.created_at_us())
        .bind(7, account.updated_at_us())
        .run();
}

std::optional<Account> AccountStore::find(std::string_view ownerId)
{
    m_find.bind(1, ownerId);
    std::optional<Account> found;
    if (m_find.step())
        found = read(m_find);
    m_find.reset();
    return found;
}

std::optional<Account> AccountStore::findWithChanges(std::string_view ownerId)
{
    auto account = find(ownerId);
    if (!account)
        return account;
    m_changes.bind(1, ownerId);
    while (m_changes.step()) {
        AccountChange *change = account->add_changes();
        change->set_at_us(m_changes.integer(0));
        change->set_user(m_changes.text(1));
        change->set_role(m_changes.text(2));
        change->set_action(m_changes.text(3));
        change->set_reason(m_changes.text(4));
    }
    m_changes.reset();
    return account;
}

std::int64_t AccountStore::count()
{
    std::int64_t rows = 0;
    if (m_count.step())
        rows = m_count.integer(0);
    m_count.reset();
    return rows;
}

AccountList AccountStore::list(const AccountListRequest &request, std::uint32_t limit)
{
    const char *filter = request.suspended_only() ? " AND active = 0" : "";
    AccountList page;
    auto rows = m_db.prepare(std::string("SELECT ") + kColumns + " FROM accounts WHERE owner_id > ?" + filter
                             + " ORDER BY owner_id LIMIT ?");
    rows.bind(1, request.after()).bind(2, std::int64_t(limit) + 1);
    while (rows.step()) {
        if (std::uint32_t(page.accounts_size()) == limit) {
            page.set_next_after(page.accounts(page.accounts_size() - 1).owner_id());
            break;
        }
        *page.add_accounts() = read(rows);
    }
    auto total = m_db.prepare(std::string("SELECT COUNT(*) FROM accounts WHERE 1") + filter);
    if (total.step())
        page.set_total(std::uint64_t(total.integer(0)));
    return page;
}

void AccountStore::setStatus(const Account &updated, const AccountChange &change)
{
    m_update.bind(1, updated.active() ? 1 : 0)
        .bind(2, updated.suspension_reason())
        .bind(3, updated.updated_at_us())
        .bind(4, updated.owner_id())
        .run();
    recordChange(updated.owner_id(), change);
}

void AccountStore::recordChange(std::string_view ownerId, const AccountChange &change)
{
    m_insertChange.bind(1, ownerId)
        .bind(2, change.at_us())
        .bind(3, change.user())
        .bind(4, change.role())
        .bind(5, change.action())
        .bind(6, change.reason())
        .run();
}

} // namespace dd::backend
