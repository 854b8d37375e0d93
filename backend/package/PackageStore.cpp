// PackageStore: first-write-wins packages keyed by package id.
#include "backend/package/PackageStore.h"

namespace dd::backend {

using namespace dronedelivery::v1;

PackageStore::PackageStore(const std::string &path) : m_db(path, SqliteDb::Durability::Full)
{
    m_db.exec("CREATE TABLE IF NOT EXISTS packages ("
              " package_id TEXT PRIMARY KEY, delivery_id TEXT NOT NULL, size INTEGER NOT NULL,"
              " weight REAL NOT NULL, tag TEXT NOT NULL, created_at_us INTEGER NOT NULL) WITHOUT ROWID");
    m_insert = m_db.prepare("INSERT INTO packages (package_id, delivery_id, size, weight, tag, created_at_us)"
                            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (package_id) DO NOTHING");
    m_find = m_db.prepare("SELECT package_id, delivery_id, size, weight, tag, created_at_us FROM packages"
                          " WHERE package_id = ?");
    m_remove = m_db.prepare("DELETE FROM packages WHERE package_id = ?");
    m_count = m_db.prepare("SELECT COUNT(*) FROM packages");
    m_db.exec("CREATE INDEX IF NOT EXISTS packages_created ON packages(created_at_us)");
    m_prune = m_db.prepare("DELETE FROM packages WHERE package_id IN (SELECT package_id FROM packages"
                           " WHERE created_at_us < ? ORDER BY created_at_us LIMIT ?)");
}

PackageStore::CreateResult PackageStore::create(const Package &package)
{
    const PackageInfo &info = package.info();
    m_insert.bind(1, info.package_id())
        .bind(2, package.delivery_id())
        .bind(3, int(info.size()))
        .bind(4, info.weight())
        .bind(5, info.tag())
        .bind(6, std::int64_t(package.created_at_us()))
        .run();
    if (m_db.changes() == 1)
        return {CreateOutcome::Created, package};

    // The loop thread is the only writer, so the row that won cannot vanish in between.
    CreateResult result;
    result.package = find(info.package_id()).value_or(package);
    result.outcome = result.package.delivery_id() == package.delivery_id() ? CreateOutcome::AlreadyStored
                                                                            : CreateOutcome::Conflict;
    return result;
}

std::optional<Package> PackageStore::find(std::string_view packageId)
{
    m_find.bind(1, packageId);
    std::optional<Package> found;
    if (m_find.step()) {
        found.emplace();
        PackageInfo *info = found->mutable_info();
        info->set_package_id(m_find.text(0));
        found->set_delivery_id(m_find.text(1));
        info->set_size(PackageSize(m_find.integer(2)));
        info->set_weight(m_find.real(3));
        info->set_tag(m_find.text(4));
        found->set_created_at_us(m_find.integer(5));
    }
    m_find.reset();
    return found;
}

bool PackageStore::remove(std::string_view packageId)
{
    m_remove.bind(1, packageId).run();
    return m_db.changes() > 0;
}

std::int64_t PackageStore::count()
{
    std::int64_t rows = 0;
    if (m_count.step())
        rows = m_count.integer(0);
    m_count.reset();
    return rows;
}

std::size_t PackageStore::pruneBefore(std::int64_t cutoff, std::size_t slice)
{
    m_prune.bind(1, cutoff).bind(2, std::int64_t(slice)).run();
    return std::size_t(m_db.changes());
}

} // namespace dd::backend
