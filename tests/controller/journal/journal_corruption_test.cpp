// Damaged journal files (power cut mid-write, disk garbage): open() must keep the damaged
// file byte for byte, start a working journal, and carry over what rows it can read.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <iterator>

#include "boot_clock.hpp"
#include "journal.hpp"
#include "journal_test_support.hpp"

namespace haven::journal {
namespace {

using testing::make_entry;
using testing::TempStateDir;
namespace fs = std::filesystem;

constexpr int row_count = 400;

std::string read_bytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes_at(const fs::path& file, std::streamoff offset, const std::string& bytes) {
    std::fstream out(file, std::ios::binary | std::ios::in | std::ios::out);
    out.seekp(offset);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Entry row(int i) {
    // Long enough text that the rows span many pages, so damage can hit some of them.
    return make_entry("s1", "mark", {{"text", "note " + std::to_string(i) + std::string(200, '.')}},
                      i);
}

struct CorruptionTest : ::testing::Test {
    TempStateDir dir;
    boost::asio::io_context control;

    void SetUp() override {
        auto journal = Journal::open(dir.path(), control.get_executor());
        journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
        for (int i = 1; i < row_count; ++i)
            journal->append(row(i));
    }  // closing the last connection checkpoints the WAL into the main file

    std::vector<fs::path> corrupt_files() const {
        std::vector<fs::path> found;
        for (const auto& f : fs::directory_iterator(dir.path())) {
            std::string name = f.path().filename().string();
            if (name.starts_with("journal.corrupt-") && name.ends_with(".sqlite3")) {
                found.push_back(f.path());
            }
        }
        return found;
    }

    // The damaged file is kept unchanged, and the fresh journal takes new entries.
    void expect_kept_and_working(const std::string& damaged_bytes, Journal& journal) {
        auto kept = corrupt_files();
        ASSERT_EQ(kept.size(), 1u);
        EXPECT_EQ(read_bytes(kept[0]), damaged_bytes);
        EXPECT_FALSE(journal.recovery_notes().empty());
        std::optional<bool> acknowledged;
        journal.append(make_entry("s2", "session_started", {{"template", "iv"}}, 9999),
                       [&](bool ok) { acknowledged = ok; });
        journal.flush();
        control.run();
        EXPECT_EQ(acknowledged, true);
        EXPECT_EQ(journal.open_session_id(), "s2");
    }

    // Every salvaged row is the row that was written at that place.
    void expect_salvaged_rows_are_genuine(Journal& journal) {
        for (const auto& e : journal.entries("s1")) {
            if (e.type == "session_started") continue;
            int i = static_cast<int>(e.monotonic_ms / 1000);
            EXPECT_EQ(e.data, row(i).data);
            // Salvage keeps each row's boot stamp: a resume still measures by the boot clock.
            ASSERT_TRUE(e.boot.has_value()) << e.data.dump();
            EXPECT_EQ(e.boot->boot_id, boot_stamp_now().boot_id);
        }
    }
};

TEST_F(CorruptionTest, CleanFileOpensWithoutRecovery) {
    auto journal = Journal::open(dir.path(), control.get_executor());
    EXPECT_TRUE(journal->recovery_notes().empty());
    EXPECT_TRUE(corrupt_files().empty());
    EXPECT_EQ(journal->entries("s1").size(), static_cast<std::size_t>(row_count));
}

TEST_F(CorruptionTest, TruncatedFileIsKeptAndItsReadableRowsSalvaged) {
    auto size = fs::file_size(dir.journal_file());
    fs::resize_file(dir.journal_file(), size / 2);
    std::string damaged = read_bytes(dir.journal_file());

    auto journal = Journal::open(dir.path(), control.get_executor());
    auto salvaged = journal->entries("s1").size();
    EXPECT_GT(salvaged, 0u);
    EXPECT_LT(salvaged, static_cast<std::size_t>(row_count));
    expect_salvaged_rows_are_genuine(*journal);
    expect_kept_and_working(damaged, *journal);
}

TEST_F(CorruptionTest, GarbageInTheMiddleLosesOnlyTheDamagedPages) {
    auto size = static_cast<std::streamoff>(fs::file_size(dir.journal_file()));
    write_bytes_at(dir.journal_file(), size / 2, std::string(4096, '\x5a'));
    std::string damaged = read_bytes(dir.journal_file());

    auto journal = Journal::open(dir.path(), control.get_executor());
    auto salvaged = journal->entries("s1").size();
    EXPECT_GT(salvaged, static_cast<std::size_t>(row_count) / 2) << "rows on both sides survive";
    EXPECT_LT(salvaged, static_cast<std::size_t>(row_count));
    expect_salvaged_rows_are_genuine(*journal);
    expect_kept_and_working(damaged, *journal);
}

TEST_F(CorruptionTest, GarbageHeaderIsNotADatabaseButHavenStarts) {
    write_bytes_at(dir.journal_file(), 0, "this is not an sqlite file at all, sorry");
    std::string damaged = read_bytes(dir.journal_file());

    auto journal = Journal::open(dir.path(), control.get_executor());
    EXPECT_TRUE(journal->sessions().empty());
    expect_kept_and_working(damaged, *journal);
}

TEST_F(CorruptionTest, EmptyFileIsTreatedAsTruncated) {
    fs::resize_file(dir.journal_file(), 0);
    auto journal = Journal::open(dir.path(), control.get_executor());
    expect_kept_and_working("", *journal);
}

// A power cut during a commit leaves a torn frame at the end of the WAL. SQLite drops it by
// checksum: that is normal crash recovery, not corruption, and every earlier commit stays.
TEST(PowerCutTest, TornWalTailKeepsEveryEarlierCommitWithoutAlarm) {
    TempStateDir live;
    TempStateDir after_power_cut;
    boost::asio::io_context control;
    auto journal = Journal::open(live.path(), control.get_executor());
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
    for (int i = 1; i <= 20; ++i) {
        journal->append(row(i));
        journal->flush();  // one commit per row, like acknowledged commands
    }
    // Snapshot the files as the disk holds them while the daemon still runs (as SIGKILL
    // or a power cut would leave them), then tear the last frame.
    for (const char* name : {"journal.sqlite3", "journal.sqlite3-wal"}) {
        fs::copy_file(live.path() / name, after_power_cut.path() / name);
    }
    auto wal = after_power_cut.path() / "journal.sqlite3-wal";
    fs::resize_file(wal, fs::file_size(wal) - 100);

    auto reopened = Journal::open(after_power_cut.path(), control.get_executor());
    EXPECT_TRUE(reopened->recovery_notes().empty());
    auto entries = reopened->entries("s1");
    EXPECT_EQ(entries.size(), 20u) << "only the torn last commit is lost";
    EXPECT_EQ(reopened->open_session_id(), "s1");
}

TEST_F(CorruptionTest, ASecondCorruptionNeverOverwritesTheFirstKeptFile) {
    fs::resize_file(dir.journal_file(), 0);
    Journal::open(dir.path(), control.get_executor()).reset();
    write_bytes_at(dir.journal_file(), 0, "garbage again, garbage again");
    auto journal = Journal::open(dir.path(), control.get_executor());
    EXPECT_EQ(corrupt_files().size(), 2u);
}

}  // namespace
}  // namespace haven::journal
