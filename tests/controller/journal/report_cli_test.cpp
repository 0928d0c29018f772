// `haven report` end to end: the real binary reading a journal the Journal class wrote.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "journal.hpp"
#include "journal_test_support.hpp"
#include "report_sample.hpp"
#include "run_command.hpp"

namespace haven::journal {
namespace {

haven::test::CommandOutput run_haven(std::vector<std::string> args) {
    args.insert(args.begin(), HAVEN_BINARY);
    return haven::test::run_command(std::move(args));
}

std::string golden(const std::string& name) {
    std::ifstream in(std::string(HAVEN_SOURCE_DIR) + "/tests/controller/journal/golden/" + name,
                     std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct ReportCliTest : ::testing::Test {
    testing::TempStateDir dir;
    void SetUp() override {
        boost::asio::io_context control;
        auto journal = Journal::open(dir.path(), control.get_executor());
        for (const auto& entry : testing::sample_iv_session())
            journal->append(entry);
        journal->append(testing::make_entry("b2", "session_started", {{"template", "im"}}, 9000));
    }
    std::string state_dir() const { return dir.path().string(); }
};

TEST_F(ReportCliTest, ListsSessionsWithoutSessionOption) {
    auto result = run_haven({"report", "--state-dir", state_dir()});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out,
              "7f3a9c2e  iv-ketamine  2026-03-02T09:00:00Z  ended 2026-03-02T10:30:30Z\n"
              "b2  im  2026-03-02T11:30:00Z  open\n");
}

// The same lines the panel's GET /api/sessions gives (journal::session_summary_json).
TEST_F(ReportCliTest, ListsSessionsAsJson) {
    auto result = run_haven({"report", "--state-dir", state_dir(), "--format", "json"});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(nlohmann::json::parse(result.out), nlohmann::json::parse(R"([
        {"session": "7f3a9c2e", "template": "iv-ketamine", "started": "2026-03-02T09:00:00Z",
         "ended": "2026-03-02T10:30:30Z", "open": false},
        {"session": "b2", "template": "im", "started": "2026-03-02T11:30:00Z",
         "ended": null, "open": true}])"));
}

TEST_F(ReportCliTest, ExportsEachFormatExactlyAsTheLibraryRendersIt) {
    for (const char* format : {"csv", "json", "html"}) {
        auto result = run_haven(
            {"report", "--state-dir", state_dir(), "--session", "7f3a9c2e", "--format", format});
        EXPECT_EQ(result.exit_code, 0) << format;
        EXPECT_EQ(result.out, golden(std::string("iv_session.") + format)) << format;
    }
}

TEST_F(ReportCliTest, UnknownSessionExitsOne) {
    EXPECT_EQ(run_haven({"report", "--state-dir", state_dir(), "--session", "nope"}).exit_code, 1);
}

TEST_F(ReportCliTest, MissingJournalExitsTwo) {
    EXPECT_EQ(run_haven({"report", "--state-dir", (dir.path() / "absent").string()}).exit_code, 2);
}

}  // namespace
}  // namespace haven::journal
