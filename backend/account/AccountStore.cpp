// AccountStore: owners by id, seeded once.
#include "backend/account/AccountStore.h"

namespace dd::backend {

using dronedelivery::v1::Account;

AccountStore::AccountStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS accounts ("
              " owner_id TEXT PRIMARY KEY, name TEXT NOT NULL, active INTEGER NOT NULL,"
              " suspension_reason TEXT NOT NULL DEFAULT '') WITHOUT ROWID");
    m_find = m_db.prepare("SELECT owner_id, name, active, suspension_reason FROM accounts WHERE owner_id = ?");
    m_count = m_db.prepare("SELECT COUNT(*) FROM accounts");
    m_insert = m_db.prepare("INSERT INTO accounts (owner_id, name, active, suspension_reason) VALUES (?, ?, ?, ?)");
}

int AccountStore::seedIfEmpty(const std::vector<Account> &accounts)
{
    int inserted = 0;
    // One transaction: the emptiness check and the inserts are atomic, and one fsync covers them all.
    m_db.transaction([&] {
        if (count() != 0)
            return;
        for (const auto &account : accounts) {
            m_insert.bind(1, account.owner_id())
                .bind(2, account.name())
                .bind(3, account.active() ? 1 : 0)
                .bind(4, account.suspension_reason())
                .run();
            ++inserted;
        }
    });
    return inserted;
}

std::optional<Account> AccountStore::find(std::string_view ownerId)
{
    m_find.bind(1, ownerId);
    std::optional<Account> found;
    if (m_find.step()) {
        found.emplace();
        found->set_owner_id(m_find.text(0));
        found->set_name(m_find.text(1));
        found->set_active(m_find.integer(2) != 0);
        found->set_suspension_reason(m_find.text(3));
    }
    m_find.reset();
    return found;
}

std::int64_t AccountStore::count()
{
    std::int64_t rows = 0;
    if (m_count.step())
        rows = m_count.integer(0);
    m_count.reset();
    return rows;
}

} // namespace dd::backend
