// TempDir on the real file system: unique, readable names, removed with their contents,
// kept on request.
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

namespace haven::test {
namespace {

namespace fs = std::filesystem;

// Sets or clears HAVEN_KEEP_TEST_DIRS for one scope and puts the old value back.
class KeepTestDirs {
  public:
    explicit KeepTestDirs(const char* value) {
        if (const char* old = std::getenv(kName)) old_ = old;
        if (value) {
            ::setenv(kName, value, 1);
        } else {
            ::unsetenv(kName);
        }
    }
    ~KeepTestDirs() {
        if (old_) {
            ::setenv(kName, old_->c_str(), 1);
        } else {
            ::unsetenv(kName);
        }
    }

  private:
    static constexpr const char* kName = "HAVEN_KEEP_TEST_DIRS";
    std::optional<std::string> old_;
};

TEST(TempDir, MakesAFreshNamedDirectoryUnderTheSystemTempDir) {
    TempDir a("naming");
    TempDir b("naming");
    EXPECT_TRUE(fs::is_directory(a.path()));
    EXPECT_EQ(a.path().parent_path(), fs::temp_directory_path());
    EXPECT_TRUE(a.path().filename().string().starts_with("haven-naming-"));
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(fs::is_empty(a.path()));
    EXPECT_EQ(a / "x", a.path() / "x");
}

TEST(TempDir, RemovesItselfAndEverythingInIt) {
    KeepTestDirs unset(nullptr);
    fs::path path;
    {
        TempDir dir("removal");
        path = dir.path();
        fs::create_directories(dir / "nested" / "deeper");
        std::ofstream(dir / "nested" / "deeper" / "file") << "x";
        ::mkfifo((dir / "fifo").c_str(), 0600);
    }
    EXPECT_FALSE(fs::exists(path));
}

TEST(TempDir, KeepsItselfWhenAskedTo) {
    for (const char* off : {"", "0"}) {
        KeepTestDirs keep(off);
        fs::path path;
        { path = TempDir("kept").path(); }
        EXPECT_FALSE(fs::exists(path)) << "HAVEN_KEEP_TEST_DIRS='" << off << "'";
    }
    KeepTestDirs keep("1");
    fs::path path;
    { path = TempDir("kept").path(); }
    EXPECT_TRUE(fs::is_directory(path));
    fs::remove_all(path);
}

TEST(TempDir, AMovedDirectoryIsRemovedOnceByItsNewOwner) {
    KeepTestDirs unset(nullptr);
    std::optional<TempDir> first(std::in_place, "moved");
    const fs::path path = first->path();
    TempDir second = std::move(*first);
    first.reset();  // the moved-from object removes nothing
    EXPECT_TRUE(fs::is_directory(path));
    EXPECT_EQ(second.path(), path);

    TempDir third("moved");
    const fs::path replaced = third.path();
    third = std::move(second);  // the directory it had is removed
    EXPECT_FALSE(fs::exists(replaced));
    EXPECT_EQ(third.path(), path);
}

}  // namespace
}  // namespace haven::test
