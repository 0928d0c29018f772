#pragma once
// A fresh temporary state directory per test, and entry helpers.

#include <filesystem>
#include <string>

#include "entry.hpp"
#include "temp_dir.hpp"

namespace haven::journal::testing {

class TempStateDir {
  public:
    const std::filesystem::path& path() const { return dir_.path(); }
    std::filesystem::path journal_file() const { return dir_ / "journal.sqlite3"; }

  private:
    haven::test::TempDir dir_{"journal"};
};

// An entry at a fixed wall time (2026-03-02T09:00:00Z plus `offset_s`).
Entry make_entry(std::string session, std::string type, nlohmann::json data, int offset_s);

}  // namespace haven::journal::testing
