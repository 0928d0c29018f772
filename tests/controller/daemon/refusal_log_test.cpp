// RefusalLog on a real io_context with a short window: the first refusal is in full, the
// repeats become one journal row with their count when the window closes, and what is still
// open is written at shutdown.
#include "refusal_log.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

namespace haven::daemon {
namespace {

using namespace std::chrono_literals;

class RefusalLogTest : public ::testing::Test {
  protected:
    RefusalLog::Ports ports() {
        return {.append = [this](journal::Entry e) { rows.push_back(std::move(e)); },
                .session_id = [] { return std::string{"abcdef0123456789"}; },
                .engine_now = [] { return Millis{4200}; }};
    }

    boost::asio::io_context io;
    std::vector<journal::Entry> rows;
};

TEST_F(RefusalLogTest, RepeatsOfARefusedCommandBecomeOneRowWithTheirCount) {
    RefusalLog log(io, ports(), 100ms);
    EXPECT_TRUE(log.first("mqtt", "refused ack"));
    for (int i = 0; i < 500; ++i)
        EXPECT_FALSE(log.first("mqtt", "refused ack"));
    EXPECT_TRUE(log.first("panel:therapist", "refused ack")) << "another source: its own count";
    EXPECT_TRUE(rows.empty());
    io.run_for(300ms);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].type, "command_rejected");
    EXPECT_EQ(rows[0].session_id, "abcdef0123456789");
    EXPECT_EQ(rows[0].monotonic_ms, 4200);
    EXPECT_EQ(rows[0].data["command"], "ack");
    EXPECT_EQ(rows[0].data["source"], "mqtt");
    EXPECT_EQ(rows[0].data["repeats"], 500);
    EXPECT_TRUE(log.first("mqtt", "refused ack")) << "a quiet window ended: in full again";
}

TEST_F(RefusalLogTest, OnlyRefusedCommandsAreJournaledOtherKindsAreLogLinesOnly) {
    RefusalLog log(io, ports(), 50ms);
    log.first("zigbee2mqtt/cedar/therapist-button", "button message ignored");
    log.first("zigbee2mqtt/cedar/therapist-button", "button message ignored");
    log.first("mqtt", "malformed volume");
    log.first("mqtt", "malformed volume");
    io.run_for(200ms);
    EXPECT_TRUE(rows.empty());
}

TEST_F(RefusalLogTest, ShutdownWritesWhatIsStillCounted) {
    RefusalLog log(io, ports(), std::chrono::minutes(1));
    log.first("mqtt", "refused extend");
    log.first("mqtt", "refused extend");
    log.first("mqtt", "refused extend");
    log.flush();
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0].data["repeats"], 2);
    io.run_for(50ms);  // the cancelled timer writes nothing more
    EXPECT_EQ(rows.size(), 1U);
}

}  // namespace
}  // namespace haven::daemon
