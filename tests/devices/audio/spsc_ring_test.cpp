#include "spsc_ring.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

namespace haven::audio {
namespace {

TEST(SpscRing, CapacityRoundsUpToPowerOfTwo) {
    EXPECT_EQ(SpscRing<float>(1000).capacity(), 1024u);
    EXPECT_EQ(SpscRing<float>(1024).capacity(), 1024u);
}

TEST(SpscRing, WriteReadAcrossTheWrapPoint) {
    SpscRing<int> ring(8);
    std::vector<int> out(8);
    int next = 0;
    int expected = 0;
    for (int round = 0; round < 20; ++round) {  // 5-in/5-out walks the wrap point
        std::vector<int> in{next, next + 1, next + 2, next + 3, next + 4};
        ASSERT_EQ(ring.write(in.data(), in.size()), 5u);
        next += 5;
        ASSERT_EQ(ring.read(out.data(), 5), 5u);
        for (int i = 0; i < 5; ++i)
            EXPECT_EQ(out[i], expected++);
    }
}

TEST(SpscRing, FullAndEmptyAreHonoured) {
    SpscRing<int> ring(4);
    const std::vector<int> in{1, 2, 3, 4, 5, 6};
    EXPECT_EQ(ring.write(in.data(), in.size()), 4u);
    EXPECT_EQ(ring.writable(), 0u);
    EXPECT_EQ(ring.write(in.data(), 1), 0u);
    std::vector<int> out(6, 0);
    EXPECT_EQ(ring.read(out.data(), 6), 4u);
    EXPECT_EQ(out, (std::vector<int>{1, 2, 3, 4, 0, 0}));
    EXPECT_EQ(ring.read(out.data(), 1), 0u);
    EXPECT_EQ(ring.readable(), 0u);
}

TEST(SpscRing, SkipToDropsOnlyWrittenItems) {
    SpscRing<int> ring(8);
    const std::vector<int> in{1, 2, 3, 4};
    ring.write(in.data(), 4);
    ring.skip_to(2);
    int value = 0;
    ASSERT_EQ(ring.read(&value, 1), 1u);
    EXPECT_EQ(value, 3);
    ring.skip_to(100);  // beyond what was written: clamps to the write position
    EXPECT_EQ(ring.readable(), 0u);
    EXPECT_EQ(ring.read_position(), 4u);
}

// Two threads, odd chunk sizes, a few million items: every item arrives once, in order.
TEST(SpscRing, TwoThreadStressKeepsOrderAndCount) {
    constexpr std::uint64_t kItems = 4'000'000;
    SpscRing<std::uint64_t> ring(1024);
    std::thread producer([&] {
        std::uint64_t next = 0;
        std::vector<std::uint64_t> chunk(97);
        while (next < kItems) {
            const std::size_t n = std::min<std::uint64_t>(chunk.size(), kItems - next);
            for (std::size_t i = 0; i < n; ++i)
                chunk[i] = next + i;
            const std::size_t written = ring.write(chunk.data(), n);
            next += written;
            if (written == 0) std::this_thread::yield();
        }
    });
    std::uint64_t expected = 0;
    bool in_order = true;
    std::vector<std::uint64_t> chunk(61);
    while (expected < kItems) {
        const std::size_t n = ring.read(chunk.data(), chunk.size());
        for (std::size_t i = 0; i < n; ++i)
            in_order = in_order && chunk[i] == expected + i;
        expected += n;
        if (n == 0) std::this_thread::yield();
    }
    producer.join();
    EXPECT_TRUE(in_order);
    EXPECT_EQ(expected, kItems);
    EXPECT_EQ(ring.readable(), 0u);
}

}  // namespace
}  // namespace haven::audio
