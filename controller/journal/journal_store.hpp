#pragma once
// The journal's table and the queries over it, shared by the writer (Journal) and the
// read-only JournalReader. Callers hold whatever lock guards the connection.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "entry.hpp"

namespace haven::journal {

class SqliteDb;

namespace store {

void create_schema(SqliteDb& db);
// Inserts one row; seq 0 lets SQLite choose the next sequence number.
void insert(SqliteDb& db, const Entry& entry, std::int64_t seq = 0);
std::vector<Entry> entries(SqliteDb& db, const std::string& session_id);
std::vector<SessionSummary> sessions(SqliteDb& db);
std::optional<std::string> open_session_id(SqliteDb& db);

std::int64_t to_millis(WallTime wall);
WallTime from_millis(std::int64_t ms);

}  // namespace store
}  // namespace haven::journal
