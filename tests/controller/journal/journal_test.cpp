// The journal on a real SQLite file in a temporary state directory.
#include "journal.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <thread>

#include "boot_clock.hpp"
#include "journal_reader.hpp"
#include "journal_test_support.hpp"
#include "sqlite_db.hpp"

namespace haven::journal {
namespace {

using testing::make_entry;
using testing::TempStateDir;
using namespace std::chrono_literals;

struct JournalTest : ::testing::Test {
    TempStateDir dir;
    boost::asio::io_context control;
    std::unique_ptr<Journal> open() { return Journal::open(dir.path(), control.get_executor()); }
};

TEST_F(JournalTest, CreatesTheFileInWalMode) {
    auto journal = open();
    EXPECT_TRUE(std::filesystem::exists(dir.journal_file()));
    EXPECT_EQ(journal->file(), dir.journal_file());
    EXPECT_TRUE(journal->recovery_notes().empty());
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
    journal->flush();
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "journal.sqlite3-wal"));
}

TEST_F(JournalTest, DurabilityCallbackRunsOnControlExecutorAfterRowIsCommitted) {
    auto journal = open();
    std::optional<bool> acknowledged;
    std::size_t rows_committed = 0;
    std::thread::id callback_thread;
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0), [&](bool ok) {
        acknowledged = ok;
        callback_thread = std::this_thread::get_id();
        rows_committed = journal->entries("s1").size();
    });
    journal->flush();
    EXPECT_FALSE(acknowledged) << "the callback must wait for the control loop to run it";
    control.run();
    ASSERT_TRUE(acknowledged);
    EXPECT_TRUE(*acknowledged);
    EXPECT_EQ(callback_thread, std::this_thread::get_id());
    EXPECT_EQ(rows_committed, 1u);
    journal.reset();
    EXPECT_EQ(JournalReader(dir.path()).entries("s1").size(), 1u) << "on disk, for the next open";
}

TEST_F(JournalTest, EveryCallbackFiresOnceInAppendOrder) {
    auto journal = open();
    std::vector<int> order;
    for (int i = 0; i < 50; ++i) {
        journal->append(make_entry("s1", "mark", {{"text", std::to_string(i)}}, i),
                        [&order, i](bool ok) {
                            if (ok) order.push_back(i);
                        });
    }
    journal->flush();
    control.run();
    ASSERT_EQ(order.size(), 50u);
    EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
}

TEST_F(JournalTest, EntriesAppendedTogetherAreAllDurableWhenTheirOneCallbackRuns) {
    auto journal = open();
    int callbacks = 0;
    std::vector<std::string> seen_types;
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
    std::vector<Entry> together{make_entry("s1", "input", {{"command", "assist"}}, 5),
                                make_entry("s1", "cue", {{"cue", "assist"}}, 5),
                                make_entry("s1", "assist_on", {}, 5)};
    journal->append(std::move(together), [&](bool ok) {
        ++callbacks;
        EXPECT_TRUE(ok);
        for (const auto& e : journal->entries("s1"))
            seen_types.push_back(e.type);
    });
    journal->flush();
    control.run();
    EXPECT_EQ(callbacks, 1);
    EXPECT_EQ(seen_types,
              (std::vector<std::string>{"session_started", "input", "cue", "assist_on"}));
}

TEST_F(JournalTest, AnEmptyAppendIsDurableAtOnce) {
    auto journal = open();
    std::optional<bool> acknowledged;
    journal->append(std::vector<Entry>{}, [&](bool ok) { acknowledged = ok; });
    control.run();
    EXPECT_EQ(acknowledged, std::optional<bool>(true));
    EXPECT_TRUE(journal->sessions().empty());
}

TEST_F(JournalTest, EntriesSurviveReopenExactly) {
    std::vector<Entry> written = {
        make_entry("s1", "session_started", {{"template", "iv"}, {"template_name", "IV"}}, 0),
        make_entry("s1", "input", {{"command", "infusion start"}, {"source_kind", "button"}}, 60),
        make_entry("s1", "mark", {{"text", "quiet, eyes closed"}, {"source", "panel"}}, 61),
        make_entry("", "config_reloaded", nlohmann::json::object(), 62),
    };
    const auto boot_now = boot_stamp_now();
    {
        auto journal = open();
        for (const auto& e : written)
            journal->append(e);
    }  // the destructor writes what is queued
    auto journal = open();
    auto read = journal->entries("s1");
    ASSERT_EQ(read.size(), 3u);
    for (std::size_t i = 0; i < read.size(); ++i) {
        EXPECT_EQ(read[i].session_id, written[i].session_id);
        EXPECT_EQ(read[i].type, written[i].type);
        EXPECT_EQ(read[i].data, written[i].data);
        EXPECT_EQ(read[i].wall, written[i].wall);
        EXPECT_EQ(read[i].monotonic_ms, written[i].monotonic_ms);
        // Stamped when appended: the boot clock a resume after a restart measures by.
        ASSERT_TRUE(read[i].boot.has_value());
        EXPECT_EQ(read[i].boot->boot_id, boot_now.boot_id);
        EXPECT_GE(read[i].boot->ms, boot_now.ms);
    }
    auto room = journal->entries("");
    ASSERT_EQ(room.size(), 1u);
    EXPECT_EQ(room[0].type, "config_reloaded");
}

TEST_F(JournalTest, ReadsSeeEverythingAppendedBefore) {
    auto journal = open();
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
    EXPECT_EQ(journal->open_session_id(), "s1");
}

TEST_F(JournalTest, TextThatIsNotUtf8IsStoredNotDropped) {
    auto journal = open();
    std::optional<bool> acknowledged;
    journal->append(make_entry("s1", "mark", {{"text", std::string("bad \xff byte")}}, 0),
                    [&](bool ok) { acknowledged = ok; });
    journal->flush();
    control.run();
    EXPECT_EQ(acknowledged, true);
    EXPECT_EQ(journal->entries("s1").size(), 1u);
}

struct OpenSessionCase {
    const char* name;
    std::vector<std::pair<std::string, std::string>> records;  // (session, type)
    std::optional<std::string> expected;
};

TEST_F(JournalTest, OpenSessionDetection) {
    const std::vector<OpenSessionCase> cases = {
        {"empty journal", {}, std::nullopt},
        {"one started", {{"a", "session_started"}}, "a"},
        {"started and ended", {{"a", "session_started"}, {"a", "session_ended"}}, std::nullopt},
        {"second started after first ended",
         {{"a", "session_started"}, {"a", "session_ended"}, {"b", "session_started"}},
         "b"},
        {"older session lost its end: the newest wins",
         {{"a", "session_started"}, {"b", "session_started"}},
         "b"},
        {"newest ended, an older one never did",
         {{"a", "session_started"}, {"b", "session_started"}, {"b", "session_ended"}},
         std::nullopt},
    };
    for (const auto& c : cases) {
        TempStateDir own;
        auto journal = Journal::open(own.path(), control.get_executor());
        int t = 0;
        for (const auto& [session, type] : c.records) {
            journal->append(make_entry(session, type, {{"template", "iv"}}, t++));
        }
        EXPECT_EQ(journal->open_session_id(), c.expected) << c.name;
        journal.reset();
        EXPECT_EQ(JournalReader(own.path()).open_session_id(), c.expected) << c.name;
    }
}

TEST_F(JournalTest, SessionsSummariseTemplateStartAndEnd) {
    auto journal = open();
    journal->append(make_entry("a", "session_started", {{"template", "iv"}}, 0));
    journal->append(make_entry("a", "session_ended", {{"forced", false}}, 5400));
    journal->append(make_entry("b", "session_started", {{"template", "spravato"}}, 6000));
    auto sessions = journal->sessions();
    ASSERT_EQ(sessions.size(), 2u);
    EXPECT_EQ(sessions[0].id, "a");
    EXPECT_EQ(sessions[0].template_id, "iv");
    EXPECT_EQ(sessions[0].started, make_entry("", "", {}, 0).wall);
    EXPECT_EQ(sessions[0].ended, make_entry("", "", {}, 5400).wall);
    EXPECT_FALSE(sessions[0].open);
    EXPECT_EQ(sessions[1].template_id, "spravato");
    EXPECT_FALSE(sessions[1].ended);
    EXPECT_TRUE(sessions[1].open);
}

TEST_F(JournalTest, PruneDropsOnlyEndedSessionsPastRetention) {
    auto journal = open();
    const int day = 86400;
    journal->append(make_entry("old-open", "session_started", {{"template", "iv"}}, 0));
    journal->append(make_entry("old", "session_started", {{"template", "iv"}}, 1));
    journal->append(make_entry("old", "mark", {{"text", "x"}}, 2));
    journal->append(make_entry("old", "session_ended", nlohmann::json::object(), 3));
    journal->append(make_entry("recent", "session_started", {{"template", "iv"}}, 50 * day));
    journal->append(make_entry("recent", "session_ended", nlohmann::json::object(), 50 * day + 1));
    journal->append(make_entry("", "config_reloaded", nlohmann::json::object(), 4));
    auto now = make_entry("", "", {}, 60 * day).wall;

    EXPECT_EQ(journal->prune(std::chrono::days(30), now), 1);
    EXPECT_TRUE(journal->entries("old").empty());
    EXPECT_EQ(journal->entries("recent").size(), 2u);
    EXPECT_EQ(journal->entries("old-open").size(), 1u);
    EXPECT_EQ(journal->entries("").size(), 1u);
    EXPECT_EQ(journal->prune(std::chrono::days(30), now), 0);
    EXPECT_EQ(journal->prune(std::chrono::days(5), now), 1);
}

// The journal keeps its WAL index in memory (no memory-mapped -shm that a read-only disk
// would turn into a SIGBUS), so it holds the file to itself: another reader is told why, and
// a second writer (a second daemon on the same state directory) is refused.
TEST_F(JournalTest, AnOpenJournalIsHeldExclusivelyAndAReaderIsToldWhy) {
    auto journal = open();
    journal->append(make_entry("s1", "session_started", {{"template", "iv"}}, 0));
    journal->flush();
    EXPECT_FALSE(std::filesystem::exists(dir.path() / "journal.sqlite3-shm"));
    try {
        JournalReader reader(dir.path());
        FAIL() << "a reader got in while the journal was open";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("held by the running haven daemon"), std::string::npos)
            << e.what();
    }
    try {
        Journal::open(dir.path(), control.get_executor());
        FAIL() << "a second journal opened the same file";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("in use by another haven daemon"), std::string::npos)
            << e.what();
    }
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 2)
        << "journal.sqlite3 and its -wal only: nothing was moved aside";
    journal.reset();
    EXPECT_EQ(JournalReader(dir.path()).sessions().size(), 1u);
}

// A journal written before boot stamps were kept: the table as it was then, one row.
void write_journal_without_boot_stamps(const std::filesystem::path& file) {
    SqliteDb db(file, SqliteDb::Mode::read_write_create);
    db.exec(
        "CREATE TABLE entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,"
        " type TEXT NOT NULL, data TEXT NOT NULL, wall_ms INTEGER NOT NULL,"
        " monotonic_ms INTEGER NOT NULL);"
        "INSERT INTO entries(session_id, type, data, wall_ms, monotonic_ms)"
        " VALUES('s1', 'session_started', '{\"template\":\"iv\"}', 1772442000000, 0);");
}

TEST_F(JournalTest, AJournalFromBeforeBootStampsIsReadAndUpgradedInPlace) {
    write_journal_without_boot_stamps(dir.journal_file());
    {
        // `haven report` before the new daemon has ever run: read as it is, not changed.
        JournalReader reader(dir.path());
        auto rows = reader.entries("s1");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_EQ(rows[0].data["template"], "iv");
        EXPECT_FALSE(rows[0].boot.has_value());
    }
    auto journal = open();
    EXPECT_TRUE(journal->recovery_notes().empty()) << "an older table is not damage";
    journal->append(make_entry("s1", "mark", {{"text", "after the upgrade"}}, 5));
    auto rows = journal->entries("s1");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_FALSE(rows[0].boot.has_value()) << "an old row has no stamp to give";
    ASSERT_TRUE(rows[1].boot.has_value());
    EXPECT_EQ(rows[1].boot->boot_id, boot_stamp_now().boot_id);
    EXPECT_EQ(journal->open_session_id(), "s1");
}

TEST_F(JournalTest, AJournalUpgradedHalfWayBeforeAPowerCutIsCompletedNotRefused) {
    write_journal_without_boot_stamps(dir.journal_file());
    SqliteDb(dir.journal_file(), SqliteDb::Mode::read_write_create)
        .exec("ALTER TABLE entries ADD COLUMN boot_id TEXT");
    EXPECT_FALSE(JournalReader(dir.path()).entries("s1").at(0).boot.has_value());
    auto journal = open();
    EXPECT_TRUE(journal->recovery_notes().empty());
    journal->append(make_entry("s1", "mark", {{"text", "after the upgrade"}}, 5));
    auto rows = journal->entries("s1");
    ASSERT_EQ(rows.size(), 2u);
    ASSERT_TRUE(rows[1].boot.has_value());
    EXPECT_EQ(rows[1].boot->boot_id, boot_stamp_now().boot_id);
}

TEST_F(JournalTest, ReaderRefusesAMissingJournalWithAReason) {
    try {
        JournalReader reader(dir.path());
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("no journal at"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace haven::journal
