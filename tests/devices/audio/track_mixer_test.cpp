// TrackMixer on the shipped demo music: every transition is a fade, measured as the largest
// sample-to-sample step, which must stay near what the music itself does when steady.
#include "track_mixer.hpp"

#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <vector>

#include "demo_playlists.hpp"
#include "playlist.hpp"
#include "temp_dir.hpp"

namespace haven::audio {
namespace {
namespace fs = std::filesystem;

constexpr int kRate = 48000;
using test::demo_playlists;
using test::kPlaylists;

struct Rendered {
    double max_step = 0;
    double peak = 0;
};

// Renders `seconds` in 1024-frame blocks, tracking the left channel's largest step and peak.
Rendered render(TrackMixer& mixer, double seconds, float& previous) {
    Rendered result;
    std::vector<float> block(1024 * 2);
    const int blocks = static_cast<int>(seconds * kRate / 1024);
    for (int b = 0; b < blocks; ++b) {
        mixer.render(block.data(), 1024);
        for (std::size_t i = 0; i < block.size(); i += 2) {
            result.max_step = std::max(result.max_step, double(std::abs(block[i] - previous)));
            result.peak = std::max(result.peak, double(std::abs(block[i])));
            previous = block[i];
        }
    }
    return result;
}

class TrackMixerTest : public ::testing::Test {
  protected:
    TrackMixer mixer_{demo_playlists(), kRate, kRate};  // 1 s between consecutive tracks
    float previous_ = 0;

    // The music's own largest step once it plays steadily: the yardstick for "no click".
    double steady_step() {
        render(mixer_, 6.0, previous_);  // past the track's own fade-in
        const Rendered steady = render(mixer_, 2.0, previous_);
        EXPECT_GT(steady.peak, 0.01) << "the demo music should be audible";
        return steady.max_step;
    }
};

TEST_F(TrackMixerTest, StartsFromSilenceWithAFadeIn) {
    ASSERT_TRUE(mixer_.play("arrival", kRate / 2));
    EXPECT_EQ(mixer_.playlist(), "arrival");
    EXPECT_EQ(mixer_.title(), "Haven demo - First light");
    const Rendered start = render(mixer_, 0.5, previous_);
    EXPECT_LT(start.max_step, 0.05);
}

TEST_F(TrackMixerTest, PlaylistSwitchIsAnEqualPowerCrossfadeWithoutJumps) {
    mixer_.play("arrival", 480);
    const double yardstick = steady_step();
    ASSERT_TRUE(mixer_.play("deep", 2 * kRate));
    EXPECT_EQ(mixer_.playlist(), "deep");
    const Rendered fade = render(mixer_, 3.0, previous_);
    EXPECT_LE(fade.max_step, yardstick * 1.5 + 0.002);
    EXPECT_GT(fade.peak, 0.01) << "music keeps playing through the crossfade";
}

TEST_F(TrackMixerTest, NextTrackCrossfadesAcrossSampleRates) {
    mixer_.play("arrival", 480);
    const double yardstick = steady_step();
    mixer_.next(kRate);  // track 2 is 44.1 kHz: resampled, then crossfaded
    EXPECT_EQ(mixer_.title(), "Haven demo - Open window");
    const Rendered fade = render(mixer_, 2.0, previous_);
    EXPECT_LE(fade.max_step, yardstick * 1.5 + 0.002);
}

TEST_F(TrackMixerTest, ReplayingTheSamePlaylistChangesNothing) {
    mixer_.play("arrival", 480);
    render(mixer_, 1.0, previous_);
    mixer_.play("arrival", 480);
    EXPECT_EQ(mixer_.title(), "Haven demo - First light");
}

TEST_F(TrackMixerTest, AdvancesAtTrackEndAndLoopsThePlaylist) {
    mixer_.play("deep", 480);  // two 40 s tracks
    render(mixer_, 41.0, previous_);
    EXPECT_EQ(mixer_.title(), "02-still-water");
    const Rendered through_end = render(mixer_, 40.0, previous_);
    EXPECT_EQ(mixer_.title(), "01-undertow");
    EXPECT_LT(through_end.max_step, 0.05);
}

TEST_F(TrackMixerTest, UnknownPlaylistIsRefusedAndStopMeansSilence) {
    EXPECT_FALSE(mixer_.play("nope", 480));
    EXPECT_FALSE(mixer_.playing());
    mixer_.play("arrival", 480);
    render(mixer_, 1.0, previous_);
    mixer_.stop();
    EXPECT_FALSE(mixer_.playing());
    EXPECT_EQ(render(mixer_, 0.1, previous_).peak, 0.0);
}

// The fade-in follows the equal-power curve (sin) sample by sample, however the mixer steps its
// envelope: a constant signal faded in must come out as that constant times sin(pi/2 * t).
TEST(TrackMixer, AFadeInFollowsTheEqualPowerCurve) {
    const haven::test::TempDir dir("mixer-curve");
    constexpr float kLevel = 0.5f;
    constexpr int kFadeFrames = 4800;
    {
        SF_INFO info{.frames = 0,
                     .samplerate = kRate,
                     .channels = 2,
                     .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT,
                     .sections = 0,
                     .seekable = 0};
        SNDFILE* file = sf_open((dir / "dc.wav").c_str(), SFM_WRITE, &info);
        ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
        std::vector<float> frames(kRate * 2 * 2, kLevel);  // 2 s of stereo DC
        sf_writef_float(file, frames.data(), kRate * 2);
        sf_close(file);
    }
    std::map<std::string, playlists::Playlist> all;
    all["dc"] = playlists::Playlist{.id = "dc", .tracks = {{dir / "dc.wav", "dc"}}};
    TrackMixer mixer(std::move(all), kRate, kRate);
    ASSERT_TRUE(mixer.play("dc", kFadeFrames));
    std::vector<float> out(1000 * 2);  // blocks that do not line up with any envelope step
    double worst = 0;
    for (int done = 0; done < kFadeFrames + 1000; done += 1000) {
        mixer.render(out.data(), 1000);
        for (int i = 0; i < 1000; ++i) {
            const double t = std::min(1.0, double(done + i) / kFadeFrames);
            const double expected = kLevel * std::sin(t * std::numbers::pi / 2);
            worst = std::max(worst, std::abs(out[i * 2] - expected));
            worst = std::max(worst, std::abs(out[i * 2 + 1] - expected));
        }
    }
    EXPECT_LT(worst, 1e-4);
}

TEST(TrackMixer, SkipsUndecodableFiles) {
    const haven::test::TempDir dir("mixer-broken");
    std::ofstream(dir / "00-broken.ogg") << "not audio at all";
    fs::copy_file(kPlaylists / "deep" / "01-undertow.ogg", dir / "01-good.ogg",
                  fs::copy_options::overwrite_existing);
    std::map<std::string, playlists::Playlist> all;
    all["mixed"] =
        playlists::load_playlist({.id = "mixed", .location = dir.path(), .is_folder = true});
    TrackMixer mixer(std::move(all), kRate, kRate);
    EXPECT_TRUE(mixer.play("mixed", 480));
    EXPECT_EQ(mixer.title(), "01-good");
}

}  // namespace
}  // namespace haven::audio
