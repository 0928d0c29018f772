#pragma once
// Read-only access to a journal for `haven report`: safe while the daemon is writing to
// it, never repairs, moves or writes the file.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "entry.hpp"

namespace haven::journal {

class SqliteDb;

class JournalReader {
  public:
    // Throws std::runtime_error with the reason when there is no readable journal there.
    explicit JournalReader(const std::filesystem::path& state_dir);
    ~JournalReader();
    JournalReader(const JournalReader&) = delete;
    JournalReader& operator=(const JournalReader&) = delete;

    std::vector<SessionSummary> sessions();
    std::vector<Entry> entries(const std::string& session_id);
    std::optional<std::string> open_session_id();

  private:
    std::unique_ptr<SqliteDb> db_;
};

}  // namespace haven::journal
