#include "journal_outage_checks.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace haven::test {

void expect_outage_recorded_and_session_resumes(RoomUnderTest& room, const std::string& id) {
    ASSERT_FALSE(room.daemon().running()) << "stop the daemon first: it holds its journal";
    const auto journal = (room.state_dir() / "journal.sqlite3").string();
    EXPECT_EQ(run_to_completion("sqlite3", {journal, "PRAGMA integrity_check"}), "ok\n");
    auto report = room.report(id);
    std::vector<std::string> types;
    for (const auto& item : report["timeline"])
        types.push_back(item.value("event", ""));
    auto at = [&](const std::string& type) {
        return std::find(types.begin(), types.end(), type) - types.begin();
    };
    for (const auto* type :
         {"journal_write_failed", "journal_write_recovered", "infusion", "assist_raised"})
        ASSERT_LT(at(type), static_cast<long>(types.size())) << type << "\n" << report.dump(1);
    EXPECT_LT(at("journal_write_failed"), at("journal_write_recovered"));

    room.start_daemon();
    auto resumed = room.wait_state(has_session);
    ASSERT_TRUE(resumed) << room.daemon_log();
    EXPECT_EQ(session_field(*resumed, "id"), id);
    EXPECT_EQ(session_field(*resumed, "infusion"), "running");
}

}  // namespace haven::test
