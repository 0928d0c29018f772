// The steady clock mapped onto the session timeline, at rehearsal speed too.
#include "session_clock.hpp"

#include <gtest/gtest.h>

namespace haven::daemon {
namespace {

using namespace std::chrono_literals;
using Steady = SessionClock::Steady;

TEST(SessionClock, RunsFromItsOriginAtItsScale) {
    const Steady::time_point start{};
    const SessionClock clock(60.0, 5min, start);
    EXPECT_EQ(clock.now(start), 5min);
    EXPECT_EQ(clock.now(start + 2s), 7min);
    EXPECT_EQ(clock.steady_at(7min), start + 2s);
}

TEST(SessionClock, EngineAndRealDurationsAreInverse) {
    const SessionClock rehearsal(60.0);
    EXPECT_EQ(rehearsal.engine_duration(2s), 2min);
    EXPECT_EQ(rehearsal.real_duration(2min), 2s);
    const SessionClock real_time;
    EXPECT_EQ(real_time.engine_duration(1500ms), 1500ms);
}

}  // namespace
}  // namespace haven::daemon
