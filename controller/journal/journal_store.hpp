#pragma once
// The journal's table and the queries over it, shared by the writer (Journal) and the
// read-only JournalReader. Callers hold whatever lock guards the connection.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "entry.hpp"

namespace haven::journal {

class SqliteDb;
class Statement;

namespace store {

void create_schema(SqliteDb& db);                        // and upgrades an older journal's table
bool has_column(SqliteDb& db, std::string_view column);  // of the entries table
bool has_boot_stamps(SqliteDb& db);
// An entry's columns in Entry order, NULL for boot stamps a journal does not have yet.
std::string entry_columns(SqliteDb& db);
inline constexpr const char* kColumnsWithoutBootStamps =
    "session_id, type, data, wall_ms, monotonic_ms, NULL, NULL";

// The writer's statements, prepared once: a cue's commit then costs bindings and steps,
// not SQL parsing (BEGIN, INSERT and COMMIT were parsed anew for every row before).
class Writer {
  public:
    explicit Writer(SqliteDb& db);
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    void begin();
    void insert(const Entry& entry);  // SQLite chooses the next sequence number
    void commit();
    void rollback() noexcept;  // after a failed begin, insert or commit

  private:
    SqliteDb& db_;
    std::unique_ptr<Statement> begin_, insert_, commit_;
};

std::vector<Entry> entries(SqliteDb& db, const std::string& session_id);
std::vector<SessionSummary> sessions(SqliteDb& db);
std::optional<std::string> open_session_id(SqliteDb& db);

std::int64_t to_millis(WallTime wall);
WallTime from_millis(std::int64_t ms);

}  // namespace store
}  // namespace haven::journal
