// The journal when the disk refuses writes. RLIMIT_FSIZE makes every write that would grow a
// file past the limit fail (EFBIG), as a full disk does, without needing root or a small
// filesystem; the daemon drill does the same to the real binary.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <csignal>

#include "journal.hpp"
#include "journal_test_support.hpp"

namespace haven::journal {
namespace {

using testing::make_entry;
using testing::TempStateDir;
using namespace std::chrono_literals;

// Caps the size of files this process may grow; restores the old limit when it goes.
class FileSizeLimit {
  public:
    explicit FileSizeLimit(rlim_t bytes) {
        std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
        getrlimit(RLIMIT_FSIZE, &saved_);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &limit), 0);
    }
    ~FileSizeLimit() { setrlimit(RLIMIT_FSIZE, &saved_); }
    FileSizeLimit(const FileSizeLimit&) = delete;
    FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  private:
    rlimit saved_{};
};

rlim_t largest_file_in(const std::filesystem::path& dir) {
    std::uintmax_t largest = 0;
    for (const auto& file : std::filesystem::directory_iterator(dir))
        largest = std::max(largest, file.file_size());
    return static_cast<rlim_t>(largest);
}

struct JournalDiskFullTest : ::testing::Test {
    TempStateDir dir;
    boost::asio::io_context control;
    std::unique_ptr<Journal> journal = Journal::open(dir.path(), control.get_executor());
    std::vector<std::optional<std::string>> health;

    JournalDiskFullTest() {
        journal->on_health(
            [this](std::optional<std::string> problem) { health.push_back(problem); });
    }
    void append(int i, std::vector<bool>* acks = nullptr) {
        journal->append(make_entry("s1", "mark", {{"text", std::to_string(i)}}, i),
                        [acks](bool ok) {
                            if (acks) acks->push_back(ok);
                        });
    }
    // Runs the control loop until `done` holds (the writer thread posts to it).
    template <typename Done>
    bool run_until(Done done, std::chrono::milliseconds timeout = 10s) {
        auto give_up = std::chrono::steady_clock::now() + timeout;
        while (!done() && std::chrono::steady_clock::now() < give_up) {
            control.restart();
            control.run_for(20ms);
        }
        return done();
    }
};

TEST_F(JournalDiskFullTest, FailedWritesAreReportedHeldAndWrittenInOrderWhenTheDiskRecovers) {
    for (int i = 0; i < 3; ++i)
        append(i);
    journal->flush();

    std::vector<bool> acks;
    {
        FileSizeLimit full(largest_file_in(dir.path()));
        for (int i = 3; i < 6; ++i)
            append(i, &acks);
        ASSERT_TRUE(run_until([&] { return acks.size() == 3 && !health.empty(); }));
        EXPECT_EQ(acks, (std::vector<bool>{false, false, false}));
        ASSERT_TRUE(health.back().has_value());
        EXPECT_NE(health.back()->find("cannot be written"), std::string::npos) << *health.back();
        append(6, &acks);  // arrives while the disk is still full
        ASSERT_TRUE(run_until([&] { return acks.size() == 4; }));
        EXPECT_FALSE(acks.back());
    }

    ASSERT_TRUE(run_until([&] { return health.size() == 2; })) << "no recovery reported";
    EXPECT_FALSE(health.back().has_value());
    append(7, &acks);
    journal->flush();
    std::vector<std::string> texts;
    for (const auto& entry : journal->entries("s1"))
        texts.push_back(entry.data.value("text", ""));
    EXPECT_EQ(texts, (std::vector<std::string>{"0", "1", "2", "3", "4", "5", "6", "7"}));
}

TEST_F(JournalDiskFullTest, AHealthyJournalReportsNothing) {
    append(0);
    journal->flush();
    control.run_for(50ms);
    EXPECT_TRUE(health.empty());
}

}  // namespace
}  // namespace haven::journal
