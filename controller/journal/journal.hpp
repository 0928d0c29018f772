#pragma once
// The session journal: every engine input and output, appended to
// <state_dir>/journal.sqlite3 (WAL, synchronous=FULL) and fsync'd before it is
// acknowledged, so a session survives SIGKILL or a power cut and can be resumed and
// reported on.
//
// Threads: append() may be called from any thread (normally the control loop); rows are
// written on the journal's own writer thread, and on_durable runs on the control
// executor. The read calls and flush() block the caller: use them at start-up, shutdown
// and in tests, not per event.

#include <boost/asio/any_io_executor.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "entry.hpp"

namespace haven::journal {

class Journal {
  public:
    // Opens (creates) <state_dir>/journal.sqlite3. A corrupt or truncated file is renamed
    // aside to journal.corrupt-<UTC>.sqlite3 (never overwritten), whatever rows can be read
    // are salvaged into the fresh file, and it is logged. Throws std::runtime_error when the
    // state directory itself cannot be used.
    static std::unique_ptr<Journal> open(const std::filesystem::path& state_dir,
                                         boost::asio::any_io_executor control);
    ~Journal();  // writes everything still queued, then stops the writer thread
    Journal(const Journal&) = delete;
    Journal& operator=(const Journal&) = delete;

    // Queues the entry for the writer thread; on_durable(ok) is posted to the control
    // executor once its row is committed and fsync'd. ok=false: the write failed (disk full,
    // directory read-only...). The entry is then held in memory and retried, oldest first,
    // until the disk takes it again; only when the journal is destroyed still failing, or
    // more than max_held entries wait, are entries lost (and that is logged).
    void append(Entry entry, std::function<void(bool ok)> on_durable = {});
    // Queues entries that belong together (a command's input and the records it caused) at
    // once: the writer sees them together, so they share one commit and one fsync, and
    // on_durable follows the last of them. An empty list is durable at once.
    void append(std::vector<Entry> entries, std::function<void(bool ok)> on_durable = {});
    // Blocks until everything appended so far is durable or has failed once.
    void flush();

    // Called on the control executor whenever writing starts failing (with the reason) or
    // works again (nullopt). Set it before the first append.
    using HealthListener = std::function<void(std::optional<std::string> problem)>;
    void on_health(HealthListener listener);
    static constexpr std::size_t max_held = 100'000;

    // The reads see every entry appended before the call (they flush first).
    std::optional<std::string> open_session_id();  // latest session_started, no session_ended
    std::vector<Entry> entries(const std::string& session_id);  // in append order
    std::vector<SessionSummary> sessions();                     // oldest first
    // Deletes sessions that ENDED more than `retention` ago, logs each one dropped, and
    // returns how many. Open sessions and room-level entries are never pruned.
    int prune(std::chrono::days retention);
    int prune(std::chrono::days retention, WallTime now);

    // What open() had to do (moved a damaged file aside, rows salvaged), for the daemon to
    // log and journal. Empty after a clean open.
    std::vector<std::string> recovery_notes() const;
    std::filesystem::path file() const;

  private:
    struct Impl;
    explicit Journal(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace haven::journal
