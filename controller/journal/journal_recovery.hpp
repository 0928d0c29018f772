#pragma once
// What open() does before trusting an existing journal file: check it, and if it is
// damaged (power cut mid-write, disk fault, garbage) move it aside, never overwriting
// it, and carry every row that can still be read into a fresh file.

#include <filesystem>
#include <string>
#include <vector>

namespace haven::journal {

class SqliteDb;

// Returns true when `file` opens as an SQLite database and passes integrity_check.
// `problem` says why not otherwise. Throws std::runtime_error when another process holds the
// file (a second daemon on the same state directory): locked is not damaged.
bool journal_is_healthy(const std::filesystem::path& file, std::string& problem);

// Renames `file` (and its -wal/-shm companions) to journal.corrupt-<UTC>.sqlite3 next to
// it, choosing a name that does not exist yet. Returns the new path.
std::filesystem::path move_aside(const std::filesystem::path& file);

// Reads what rows it can from the damaged journal at `damaged` (working on a temporary
// copy so the damaged file itself is never written) and inserts them into `fresh`.
// Returns the number of rows saved; notes describe what could not be read.
int salvage_rows(const std::filesystem::path& damaged, SqliteDb& fresh,
                 std::vector<std::string>& notes);

}  // namespace haven::journal
