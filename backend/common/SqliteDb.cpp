// SQLite wrapper: WAL journal, busy timeout, prepared statements.
#include "backend/common/SqliteDb.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

namespace dd::backend {

namespace {
[[noreturn]] void fail(sqlite3 *db, const std::string &what)
{
    throw SqliteError(what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"),
                      db ? sqlite3_extended_errcode(db) : SQLITE_NOMEM);
}
} // namespace

Statement::Statement(sqlite3 *db, std::string_view sql) : m_db(db)
{
    if (sqlite3_prepare_v3(db, sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr) != SQLITE_OK)
        fail(db, "prepare \"" + std::string(sql) + "\"");
}

Statement::~Statement()
{
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

Statement::Statement(Statement &&other) noexcept
{
    *this = std::move(other);
}

Statement &Statement::operator=(Statement &&other) noexcept
{
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

Statement &Statement::bind(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

Statement &Statement::bind(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), int(text.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindBlob(int index, std::string_view bytes)
{
    sqlite3_bind_blob(m_stmt, index, bytes.data(), int(bytes.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement &Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool Statement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    const std::string message = sqlite3_errmsg(m_db);
    const int code = sqlite3_extended_errcode(m_db);
    sqlite3_reset(m_stmt);
    throw SqliteError("step: " + message, code);
}

void Statement::run()
{
    while (step()) {
    }
    reset();
}

void Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

std::int64_t Statement::integer(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double Statement::real(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

std::string Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    return data ? std::string(data, std::size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

std::string Statement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return data ? std::string(data, std::size_t(sqlite3_column_bytes(m_stmt, column))) : std::string();
}

bool Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

SqliteDb::SqliteDb(const std::string &path, Durability durability, Access access) : m_path(path)
{
    checkNotTruncated(path);
    if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr)
        != SQLITE_OK) {
        const std::string message = m_db ? sqlite3_errmsg(m_db) : "out of memory";
        const int code = m_db ? sqlite3_extended_errcode(m_db) : SQLITE_NOMEM;
        sqlite3_close(m_db);
        m_db = nullptr;
        throw SqliteError("open " + path + ": " + message, code);
    }
    try {
        // SQLite opens a write-protected file read-only without a word; every write would fail later.
        if (sqlite3_db_readonly(m_db, "main") == 1)
            throw SqliteError("the file or its directory is read-only, and the store must write", SQLITE_READONLY);
        sqlite3_busy_timeout(m_db, 5000);
        if (access == Access::Exclusive) // before WAL mode: then the WAL index lives in heap memory, not in -shm
            exec("PRAGMA locking_mode=EXCLUSIVE");
        exec("PRAGMA journal_mode=WAL"); // the first read of the file: garbage fails here (not a database)
        setDurability(durability);
        exec("PRAGMA foreign_keys=ON");
    } catch (const SqliteError &error) {
        sqlite3_close(m_db);
        m_db = nullptr;
        // At start, the operator needs to know which of the stores' files it is.
        throw SqliteError("open " + path + ": " + error.what(), error.code());
    }
}

void SqliteDb::checkNotTruncated(const std::string &path)
{
    // A truncated file opens and even answers until a query reaches a missing page; at start
    // the header tells: its page count (when valid) against the file's size. A -wal file may
    // still hold those pages (a crash before the checkpoint), so then SQLite's recovery decides.
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) || std::filesystem::exists(path + "-wal", ec))
        return;
    std::ifstream file(path, std::ios::binary);
    unsigned char header[100] = {};
    if (!file.read(reinterpret_cast<char *>(header), sizeof header))
        return; // shorter than a header: SQLite itself refuses it (or it is an empty new file)
    if (std::memcmp(header, "SQLite format 3", 16) != 0)
        return; // not a database: SQLite's own error says so
    auto be32 = [&](int at) {
        return (std::uint32_t(header[at]) << 24) | (std::uint32_t(header[at + 1]) << 16)
            | (std::uint32_t(header[at + 2]) << 8) | std::uint32_t(header[at + 3]);
    };
    const std::uint32_t rawPageSize = (std::uint32_t(header[16]) << 8) | header[17];
    const std::uint64_t pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
    const std::uint32_t pages = be32(28);
    const bool countValid = pages != 0 && be32(24) == be32(92);
    const std::uint64_t size = std::filesystem::file_size(path, ec);
    if (!ec && countValid && size < pageSize * pages)
        throw SqliteError("open " + path + ": the file is truncated (" + std::to_string(size) + " bytes; its header says "
                              + std::to_string(pages) + " pages of " + std::to_string(pageSize) + ")",
                          SQLITE_CORRUPT);
}

void SqliteDb::setDurability(Durability durability)
{
    exec(durability == Durability::Full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    m_durability = durability;
}

SqliteDb::~SqliteDb()
{
    if (m_db)
        sqlite3_close_v2(m_db);
}

void SqliteDb::exec(std::string_view sql)
{
    char *error = nullptr;
    if (sqlite3_exec(m_db, std::string(sql).c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw SqliteError("exec \"" + std::string(sql.substr(0, 80)) + "\": " + message, sqlite3_extended_errcode(m_db));
    }
}

Statement SqliteDb::prepare(std::string_view sql)
{
    return Statement(m_db, sql);
}

std::int64_t SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

} // namespace dd::backend
