#include "backoff.hpp"

#include <gtest/gtest.h>

namespace haven::mqtt {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromMinimumUntilTheCapWithLowestJitter) {
    Backoff backoff(500ms, 4000ms);
    // random 0 picks the bottom of each step: half the step.
    const Millis expected[] = {250ms, 500ms, 1000ms, 2000ms, 2000ms, 2000ms};
    for (const auto want : expected)
        EXPECT_EQ(backoff.next(0.0), want);
}

TEST(Backoff, JitterStaysWithinTheUpperHalfOfTheStep) {
    struct Case {
        double random01;
        Millis first;
    };
    const Case cases[] = {{0.0, 500ms},  {0.5, 750ms},  {0.999, 999ms},
                          {1.0, 1000ms}, {-3.0, 500ms}, {7.0, 1000ms}};
    for (const auto& c : cases) {
        Backoff backoff(1000ms, 8000ms);
        EXPECT_EQ(backoff.next(c.random01), c.first) << "random " << c.random01;
    }
}

TEST(Backoff, NeverExceedsTheCapHoweverLongTheOutage) {
    Backoff backoff(500ms, 30000ms);
    for (int attempt = 0; attempt < 10000; ++attempt) {
        const auto delay = backoff.next(1.0);
        ASSERT_LE(delay, 30000ms) << "attempt " << attempt;
        ASSERT_GE(delay, 250ms);
    }
    EXPECT_EQ(backoff.next(1.0), 30000ms);
}

TEST(Backoff, ResetStartsTheNextOutageAtTheMinimum) {
    Backoff backoff(500ms, 30000ms);
    for (int i = 0; i < 8; ++i)
        backoff.next(0.0);
    backoff.reset();
    EXPECT_EQ(backoff.next(1.0), 500ms);
}

TEST(Backoff, NonsenseBoundsStillGiveAPositiveDelay) {
    Backoff zero(0ms, 0ms);
    EXPECT_GT(zero.next(1.0), 0ms);
    Backoff inverted(2000ms, 100ms);  // max below min: the min wins
    EXPECT_EQ(inverted.next(1.0), 2000ms);
}

}  // namespace
}  // namespace haven::mqtt
