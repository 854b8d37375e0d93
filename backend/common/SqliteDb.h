// A thin RAII layer over SQLite for the services' own stores (one file each, WAL).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace dd::backend {

class SqliteError : public std::runtime_error
{
public:
    explicit SqliteError(const std::string &what, int code = SQLITE_ERROR) : std::runtime_error(what), m_code(code) {}
    int code() const { return m_code; }
    /// Worth another try (TRANSIENT), unlike the rest (FATAL): another connection holds the lock,
    /// or the disk is full, read-only or failing, which an operator clears without a restart
    /// (docs/hostile-environments.md); a corrupt file or a bad statement is not.
    bool transient() const
    {
        const int primary = m_code & 0xff;
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_FULL || primary == SQLITE_IOERR
            || primary == SQLITE_READONLY;
    }

private:
    int m_code;
};

class Statement
{
public:
    Statement() = default;
    Statement(sqlite3 *db, std::string_view sql);
    ~Statement();
    Statement(Statement &&other) noexcept;
    Statement &operator=(Statement &&other) noexcept;
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;

    Statement &bind(int index, std::int64_t value);
    Statement &bind(int index, int value) { return bind(index, std::int64_t(value)); }
    Statement &bind(int index, double value);
    Statement &bind(int index, std::string_view text);
    Statement &bindBlob(int index, std::string_view bytes);
    Statement &bindNull(int index);

    /// True while a row is available; false when done. Throws on error.
    bool step();
    /// Runs to completion (for statements without rows) and resets.
    void run();
    void reset();

    std::int64_t integer(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::string blob(int column) const;
    bool isNull(int column) const;

private:
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

/// One connection, used by one thread (the owning service's loop).
class SqliteDb
{
public:
    enum class Durability {
        Full,   ///< fsync on every commit: what a 202 or an ack promises
        Normal, ///< WAL default: durable across process crashes, not power loss
    };

    enum class Access {
        /// The owning service's alone (database per service): SQLite takes its file locks
        /// once and keeps the WAL index in memory, which saves a pair of fcntl calls on
        /// every statement outside a transaction. Other processes cannot open it meanwhile.
        Exclusive,
        /// Others may read it while the service runs (e.g. to check what is on disk).
        Shared,
    };

    SqliteDb(const std::string &path, Durability durability = Durability::Full, Access access = Access::Exclusive);
    ~SqliteDb();
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    std::int64_t lastInsertId() const;
    int changes() const;
    sqlite3 *handle() const { return m_db; }
    const std::string &path() const { return m_path; }

    /// Switches synchronous=FULL / NORMAL for the commits that follow (see Outbox::acknowledge).
    void setDurability(Durability durability);
    Durability durability() const { return m_durability; }

    // Explicit transaction control, for group commit (backend/common/GroupCommit.h).
    void begin() { exec("BEGIN IMMEDIATE"); }
    void commit() { exec("COMMIT"); }
    void rollback() noexcept { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }
    void savepoint() { exec("SAVEPOINT change"); }
    void releaseSavepoint() { exec("RELEASE change"); }
    void rollbackToSavepoint() noexcept
    {
        sqlite3_exec(m_db, "ROLLBACK TO change; RELEASE change", nullptr, nullptr, nullptr);
    }
    bool inTransaction() const { return sqlite3_get_autocommit(m_db) == 0; }

    /// BEGIN IMMEDIATE … COMMIT; rolls back if the body throws. Inside an open
    /// (group) transaction it becomes a savepoint instead.
    template <typename F>
    void transaction(F &&body)
    {
        if (inTransaction()) {
            savepoint();
            try {
                body();
                releaseSavepoint();
            } catch (...) {
                rollbackToSavepoint();
                throw;
            }
            return;
        }
        exec("BEGIN IMMEDIATE");
        try {
            body();
            exec("COMMIT");
        } catch (...) {
            sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

private:
    /// Throws SqliteError (SQLITE_CORRUPT) naming the file when it is shorter than its header says.
    static void checkNotTruncated(const std::string &path);

    sqlite3 *m_db = nullptr;
    std::string m_path;
    Durability m_durability = Durability::Full;
};

} // namespace dd::backend
