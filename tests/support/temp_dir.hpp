#pragma once
// A fresh directory for one test (or one fixture): <system temp dir>/haven-<prefix>-XXXXXX,
// removed with everything in it on destruction, so neither a passing nor a failing test
// leaves files behind. With HAVEN_KEEP_TEST_DIRS=1 in the environment the directories are
// kept (and named on stderr) for a look at what a failing test wrote.

#include <filesystem>
#include <string_view>

namespace haven::test {

class TempDir {
  public:
    // `prefix` says whose directory it is ("journal", "mosquitto"); throws
    // std::runtime_error when the directory cannot be made.
    explicit TempDir(std::string_view prefix);
    ~TempDir();
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&& other) noexcept;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::filesystem::path& name) const {
        return path_ / name;
    }

  private:
    void remove() noexcept;

    std::filesystem::path path_;  // empty once moved from
};

// True when HAVEN_KEEP_TEST_DIRS is set to anything but "" or "0".
bool keep_test_dirs();

}  // namespace haven::test
