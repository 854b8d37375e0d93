// Group commit for a service's store: every change made in one loop turn shares one transaction and one fsync.
#pragma once

#include "backend/common/SqliteDb.h"
#include "net/transport/ServiceLoop.h"

#include <functional>
#include <memory>
#include <vector>

namespace dd::backend {

/// Used on the owning service's loop only. The first write() opens a transaction
/// and posts its commit, which runs once the loop has drained what is readable
/// now; so a burst of requests and telemetry costs one fsync, and each answer
/// waits (afterCommit) for the commit that made its change durable.
class GroupCommit
{
public:
    GroupCommit(net::ServiceLoop &loop, SqliteDb &db);
    ~GroupCommit();
    GroupCommit(const GroupCommit &) = delete;
    GroupCommit &operator=(const GroupCommit &) = delete;

    /// Runs `change` in the open transaction (opening it if needed), inside its own
    /// savepoint: if it throws, only its own writes are undone. Throws SqliteError.
    void write(const std::function<void()> &change);
    /// `done` once the open transaction is durable (at once if none is open);
    /// `failed` instead if that commit fails.
    void afterCommit(std::function<void()> done, std::function<void(const SqliteError &)> failed);
    /// Commits now. False if the commit failed: everything waiting got `failed`.
    bool commit();
    bool open() const { return m_open; }
    /// Called after a failed commit was rolled back (state kept in memory may now be ahead of the store).
    void setRollbackHandler(std::function<void()> handler) { m_onRollback = std::move(handler); }

private:
    struct Waiting
    {
        std::function<void()> done;
        std::function<void(const SqliteError &)> failed;
    };

    net::ServiceLoop &m_loop;
    SqliteDb &m_store;
    bool m_open = false;
    std::vector<Waiting> m_waiting;
    std::function<void()> m_onRollback;
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

} // namespace dd::backend
