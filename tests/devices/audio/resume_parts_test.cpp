// The pieces of device recovery and resume, without a device: the retry backoff, the fade
// back in from silence, a playlist walk that starts at a given track, seeking, and the
// keeper with the null sink and with a device that does not exist.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "device_keeper.hpp"
#include "output_renderer.hpp"
#include "playlist.hpp"
#include "playlist_cursor.hpp"
#include "track_decoder.hpp"
#include "track_mixer.hpp"

namespace haven::audio {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kPlaylists = fs::path(HAVEN_SOURCE_DIR) / "playlists";

TEST(DeviceKeeperBackoff, DoublesFromOneSecondAndCapsAtThirty) {
    const std::vector<std::pair<int, long>> table{{0, 1000},  {1, 2000},  {2, 4000},  {3, 8000},
                                                  {4, 16000}, {5, 30000}, {6, 30000}, {40, 30000}};
    for (const auto& [failures, ms] : table)
        EXPECT_EQ(DeviceKeeper::backoff(failures).count(), ms) << failures << " failures";
}

TEST(OutputRenderer, RampFromSilenceStartsAtZeroWhateverTheVolumeWas) {
    SpscRing<float> ring(1 << 16);
    OutputRenderer renderer(ring);
    std::vector<float> out(512 * kChannels);
    const std::vector<float> ones(512 * kChannels, 1.0f);
    renderer.request_ramp(60, 0);
    ring.write(ones.data(), ones.size());
    renderer.render(out.data(), 512);
    ASSERT_NEAR(renderer.volume(), 60, 1e-9);
    ASSERT_GT(out.back(), 0.05f) << "steady at 60 (-24 dB) before the loss";

    renderer.request_ramp_from_silence(60, 1024);
    ring.write(ones.data(), ones.size());
    renderer.render(out.data(), 512);
    EXPECT_LT(out[0], 0.01f) << "the first frame after a reopen is near silence";
    for (std::size_t f = 1; f < 512; ++f)
        EXPECT_GE(out[f * kChannels], out[(f - 1) * kChannels]) << "rises monotonically";
    EXPECT_NEAR(renderer.volume(), 30, 0.5) << "half-way after half the frames";
    ring.write(ones.data(), ones.size());
    renderer.render(out.data(), 512);
    EXPECT_NEAR(renderer.volume(), 60, 1e-6);
}

playlists::Playlist three_tracks(bool shuffle) {
    return {.id = "p", .tracks = {{.file = "a"}, {.file = "b"}, {.file = "c"}}, .shuffle = shuffle};
}

TEST(PlaylistCursor, StartsAtTheTrackAskedThenWalksOnInOrder) {
    const auto playlist = three_tracks(false);
    struct Case {
        std::size_t first;
        std::vector<std::size_t> walk;
    };
    for (const Case& c : {Case{2, {2, 0, 1, 2}}, Case{1, {1, 2, 0, 1}}, Case{9, {0, 1, 2, 0}}}) {
        PlaylistCursor cursor(playlist, 1, c.first);
        for (std::size_t expected : c.walk) {
            const auto& track = cursor.next();
            EXPECT_EQ(&track, &playlist.tracks[expected]) << "first " << c.first;
            EXPECT_EQ(cursor.last_index(), expected);
        }
    }
}

TEST(PlaylistCursor, ShuffledStartAtATrackPlaysEveryTrackOnceInTheRound) {
    const auto playlist = three_tracks(true);
    for (unsigned seed = 1; seed < 20; ++seed) {
        PlaylistCursor cursor(playlist, seed, 1);
        std::set<std::size_t> round;
        cursor.next();
        EXPECT_EQ(cursor.last_index(), 1u);
        round.insert(cursor.last_index());
        for (int i = 0; i < 2; ++i) {
            cursor.next();
            round.insert(cursor.last_index());
        }
        EXPECT_EQ(round.size(), 3u) << "seed " << seed;
    }
}

std::vector<float> read_frames(TrackDecoder& decoder, std::size_t frames) {
    std::vector<float> out(frames * 2);
    out.resize(decoder.read(out.data(), frames) * 2);
    return out;
}

// Seeking lands where reading through would have: same samples (native rate), or the same
// audio within the resampler's settling (44.1 kHz file played at 48 kHz).
TEST(TrackDecoder, SeekLandsWhereReadingThroughWouldHave) {
    struct Case {
        fs::path file;
        float tolerance;
    };
    for (const Case& c : {Case{kPlaylists / "arrival" / "01-first-light.ogg", 1e-6f},
                          Case{kPlaylists / "arrival" / "02-open-window.ogg", 0.05f}}) {
        constexpr std::uint64_t kAt = 48000 * 5;
        TrackDecoder through(c.file, 48000);
        read_frames(through, kAt);
        ASSERT_EQ(through.position_frames(), kAt);
        // Past the resampler's start-up, then compare a stretch.
        read_frames(through, 4800);
        const auto expected = read_frames(through, 2048);

        TrackDecoder seeking(c.file, 48000);
        ASSERT_TRUE(seeking.seek(kAt)) << c.file;
        EXPECT_EQ(seeking.position_frames(), kAt);
        read_frames(seeking, 4800);
        const auto got = read_frames(seeking, 2048);
        ASSERT_EQ(got.size(), expected.size());
        float worst = 0;
        for (std::size_t i = 0; i < got.size(); ++i)
            worst = std::max(worst, std::abs(got[i] - expected[i]));
        EXPECT_LE(worst, c.tolerance) << c.file;

        EXPECT_FALSE(seeking.seek(48000ull * 3600)) << "an hour into a 40 s track";
        EXPECT_EQ(seeking.position_frames(), kAt + 4800 + 2048) << "a failed seek moves nothing";
    }
}

TEST(TrackMixer, PlayFromReportsTrackIndexAndPosition) {
    std::map<std::string, playlists::Playlist> lists;
    lists["arrival"] =
        playlists::load_playlist({.id = "arrival", .location = kPlaylists / "arrival.m3u"});
    TrackMixer mixer(lists, 48000, 48000);
    ASSERT_TRUE(mixer.play_from("arrival", 2, 48000 * 7, 480));
    EXPECT_EQ(mixer.title(), "Haven demo - Settling");
    EXPECT_EQ(mixer.track_index(), 2u);
    EXPECT_EQ(mixer.position_frames(), 48000u * 7);
    std::vector<float> block(1024 * 2);
    mixer.render(block.data(), 1024);
    EXPECT_EQ(mixer.position_frames(), 48000u * 7 + 1024);
    EXPECT_FALSE(mixer.play_from("nope", 0, 0, 480));
    EXPECT_EQ(mixer.playlist(), "arrival") << "an unknown playlist changes nothing";
}

// Haven was down for longer than the rest of the journaled track: the music goes on where
// the playlist would be by now, not back at the start of the old track.
TEST(TrackMixer, PlayFromPastTheTrackEndWalksOnThroughThePlaylist) {
    std::map<std::string, playlists::Playlist> lists;
    lists["arrival"] =
        playlists::load_playlist({.id = "arrival", .location = kPlaylists / "arrival.m3u"});
    struct Case {
        std::size_t track;
        std::uint64_t seconds;
        std::size_t expect_track;
        std::uint64_t expect_seconds;
    };
    // Tracks last 36 s, 32 s (44.1 kHz, resampled) and 40 s.
    for (const Case c : {Case{0, 35, 0, 35}, Case{0, 36 + 5, 1, 5}, Case{1, 32 + 40 + 2, 0, 2},
                         Case{2, 40 + 36 + 3, 1, 3}}) {
        SCOPED_TRACE(std::to_string(c.track) + " at " + std::to_string(c.seconds) + " s");
        TrackMixer mixer(lists, 48000, 48000);
        ASSERT_TRUE(mixer.play_from("arrival", c.track, 48000 * c.seconds, 480));
        EXPECT_EQ(mixer.track_index(), c.expect_track);
        // Lengths come from the file headers; a resampled one may be off by a frame or two.
        EXPECT_NEAR(static_cast<double>(mixer.position_frames()), 48000.0 * c.expect_seconds, 8);
    }
}

TEST(DeviceKeeper, NullSinkOpensAtOnceAndRuns) {
    SpscRing<float> ring(1 << 14);
    OutputRenderer renderer(ring);
    std::atomic<double> volume{0};
    DeviceKeeper keeper("none", renderer, volume, Millis{3000});
    const auto shown = keeper.wait_first_attempt(Millis{5000});
    EXPECT_TRUE(shown.attempted);
    EXPECT_TRUE(shown.ok) << shown.detail;
    EXPECT_EQ(shown.opens, 1u);
    EXPECT_EQ(shown.sample_rate, 48000);
}

TEST(DeviceKeeper, MissingDeviceIsReportedWithItsNameAndRetriedQuietly) {
    ::setenv("JACK_NO_START_SERVER", "1", 1);
    SpscRing<float> ring(1 << 14);
    OutputRenderer renderer(ring);
    std::atomic<double> volume{0};
    DeviceKeeper keeper("no-such-device-here", renderer, volume, Millis{3000});
    const auto shown = keeper.wait_first_attempt(Millis{10000});
    EXPECT_TRUE(shown.attempted);
    EXPECT_FALSE(shown.ok);
    EXPECT_NE(shown.detail.find("no-such-device-here"), std::string::npos) << shown.detail;
    EXPECT_EQ(shown.opens, 0u);
}

}  // namespace
}  // namespace haven::audio
