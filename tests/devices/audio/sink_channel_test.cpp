// The shared ring between the daemon's pump and the audio sink's callback, driven by hand:
// frames cross the ring's end in order, the reader pads with silence and counts underruns
// (not before the first frame), and the writer never overwrites what is unread.
#include "sink_channel.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace haven::audio {
namespace {

// Frame n is (n, -n): the order of what comes out shows.
class CountingSource final : public FrameSource {
  public:
    void render(float* out, std::size_t frames) noexcept override {
        for (std::size_t f = 0; f < frames; ++f, ++next_) {
            out[f * kChannels] = static_cast<float>(next_);
            out[f * kChannels + 1] = -static_cast<float>(next_);
        }
    }
    std::size_t next_ = 0;
};

std::vector<float> read(SinkRingReader& reader, std::size_t frames) {
    std::vector<float> out(frames * kChannels, 99.0f);
    reader.render(out.data(), frames);
    return out;
}

TEST(SinkChannel, FramesCrossTheRingsEndInOrder) {
    SinkChannel channel;
    CountingSource source;
    SinkRingReader reader(channel.shared());
    std::size_t expected = 0;
    // 3,000-frame steps do not divide 16,384: reads and writes straddle the end.
    for (int round = 0; round < 20; ++round) {
        channel.fill_from(source, 3000);
        EXPECT_EQ(channel.lead(), 3000u);
        const auto out = read(reader, 3000);
        for (std::size_t f = 0; f < 3000; ++f, ++expected) {
            ASSERT_EQ(out[f * kChannels], static_cast<float>(expected)) << "round " << round;
            ASSERT_EQ(out[f * kChannels + 1], -static_cast<float>(expected));
        }
    }
    EXPECT_EQ(channel.shared().underruns.load(), 0u);
}

TEST(SinkChannel, AShortRingIsPaddedWithSilenceAndCountedOnceStarted) {
    SinkChannel channel;
    CountingSource source;
    SinkRingReader reader(channel.shared());
    auto out = read(reader, 4);
    EXPECT_EQ(out, std::vector<float>(8, 0.0f));
    EXPECT_EQ(channel.shared().underruns.load(), 0u) << "silence before the first frame";

    channel.fill_from(source, 2);
    out = read(reader, 4);
    EXPECT_EQ(out, (std::vector<float>{0, -0.0f, 1, -1, 0, 0, 0, 0}));
    EXPECT_EQ(channel.shared().underruns.load(), 1u);
    EXPECT_EQ(channel.lead(), 0u);
}

TEST(SinkChannel, TheWriterNeverOverwritesUnreadFrames) {
    SinkChannel channel;
    CountingSource source;
    channel.fill_from(source, SinkShared::kFrames + 500);
    EXPECT_EQ(channel.lead(), SinkShared::kFrames);
    EXPECT_EQ(source.next_, SinkShared::kFrames) << "no frame rendered that does not fit";
    SinkRingReader reader(channel.shared());
    EXPECT_EQ(read(reader, 1)[0], 0.0f) << "the oldest frame is still the first";
}

}  // namespace
}  // namespace haven::audio
