// MusicPlayer through real PortAudio on JACK's dummy backend (paced in real time), plus the
// null sink and the no-device path.
#include <fcntl.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

#include "demo_playlists.hpp"
#include "jack_dummy_server.hpp"
#include "music_player.hpp"

namespace haven::audio {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using haven::test::JackDummyServer;

using test::demo_playlists;
using test::kPlaylists;

bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

class MusicPlayerJack : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { jack_ = std::make_unique<JackDummyServer>(); }
    static void TearDownTestSuite() { jack_.reset(); }
    void SetUp() override { ASSERT_TRUE(jack_->ready()) << "jackd (jackd2) did not start"; }

    static config::AudioConfig jack_config() {
        return {.output = "system", .max_volume = 70, .crossfade = Millis{1500}};
    }
    static std::unique_ptr<JackDummyServer> jack_;
};
std::unique_ptr<JackDummyServer> MusicPlayerJack::jack_;

TEST_F(MusicPlayerJack, PlaysInRealTimeWithoutUnderrunsThenFadesOut) {
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    EXPECT_TRUE(player.status().device_ok);
    EXPECT_EQ(player.sample_rate(), 48000);

    player.play("arrival", 50, Millis{500});
    ASSERT_TRUE(wait_for([&] { return player.status().state == "playing"; }, 5s));
    EXPECT_EQ(player.status().title, "Haven demo - First light");
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s)) << "callback never ran";

    std::this_thread::sleep_for(1s);  // warm-up: the decoder builds its lead
    const auto underruns_after_warmup = player.status().underruns;
    const auto callbacks_before = player.callbacks();
    const auto start = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(2s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double rendered = double(player.callbacks() - callbacks_before) * 1024 / 48000;
    // Real-time pacing, loosely: the dummy backend neither stalls nor free-runs.
    EXPECT_NEAR(rendered, seconds, seconds * 0.35);
    EXPECT_EQ(player.status().underruns, underruns_after_warmup);

    player.fade_out(Millis{300});
    EXPECT_EQ(player.status().volume, 0);
    EXPECT_TRUE(wait_for([&] { return player.status().state == "stopped"; }, 5s));
    EXPECT_EQ(player.status().playlist, "");
}

TEST_F(MusicPlayerJack, SwitchingPlaylistsCrossfadesAndVolumeIsCapped) {
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("arrival", 95, Millis{200});
    EXPECT_EQ(player.status().volume, 70) << "capped at audio.max_volume";
    ASSERT_TRUE(wait_for([&] { return player.status().playlist == "arrival"; }, 5s));
    std::this_thread::sleep_for(1s);
    const auto underruns = player.status().underruns;
    player.play("deep", 40, Millis{1000});
    EXPECT_TRUE(wait_for([&] { return player.status().playlist == "deep"; }, 5s));
    player.next_track(Millis{500});
    EXPECT_TRUE(wait_for([&] { return player.status().title == "02-still-water"; }, 5s));
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(player.status().underruns, underruns);
    EXPECT_EQ(player.status().volume, 40);
}

TEST(MusicPlayer, MissingDeviceMeansRunningWithoutSound) {
    MusicPlayer player({.output = "no-such-device-here"}, demo_playlists());
    EXPECT_FALSE(player.open());
    player.play("arrival", 50, Millis{100});  // ignored gracefully, not a crash
    const auto status = player.status();
    EXPECT_FALSE(status.device_ok);
    EXPECT_EQ(status.state, "stopped");
}

TEST(MusicPlayer, NullSinkRunsThePipelineWithoutADevice) {
    MusicPlayer player({.output = "none"}, demo_playlists());
    ASSERT_TRUE(player.open());
    EXPECT_TRUE(player.status().device_ok);
    player.play("deep", 30, Millis{100});
    EXPECT_TRUE(wait_for([&] { return player.status().title == "01-undertow"; }, 5s));
    EXPECT_TRUE(wait_for([&] { return player.callbacks() > 10; }, 5s));
    player.play("nope", 30, Millis{100});  // unknown: logged, current music continues
    EXPECT_EQ(player.status().playlist, "deep");
}

TEST(MusicPlayer, TestToneNeedsADevice) {
    MusicPlayer player({.output = "no-such-device-here"}, demo_playlists());
    EXPECT_FALSE(player.open());
    auto refused = player.play_test_tone();
    ASSERT_TRUE(refused.has_value());
    EXPECT_NE(refused->find("audio output is not available"), std::string::npos) << *refused;
}

TEST(MusicPlayer, TestTonePlaysOnceThenTheOutputIsFreeAgain) {
    MusicPlayer player({.output = "none", .max_volume = 70}, demo_playlists());
    ASSERT_TRUE(player.open());
    EXPECT_EQ(player.play_test_tone(), std::nullopt);
    // Asked again at once and at every moment until the tone shows, queued, held by the
    // decoder but not yet published, or shown: a second tone is refused.
    int refused = 0;
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    do {
        ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the tone never started";
        auto again = player.play_test_tone();
        ASSERT_TRUE(again.has_value()) << "a second tone was accepted after " << refused;
        EXPECT_EQ(*again, "a test tone is already playing");
        ++refused;
        std::this_thread::sleep_for(1ms);  // leave the lock to the decoder now and then
    } while (player.status().state != "test_tone");
    EXPECT_EQ(player.status().volume, 0) << "the tone is not music: no music volume is shown";
    // 2 s of tone, decoded a little ahead of the sink.
    EXPECT_TRUE(wait_for([&] { return player.status().state == "stopped"; }, 5s));
    EXPECT_EQ(player.play_test_tone(), std::nullopt);
}

TEST(MusicPlayer, TestToneIsRefusedWhileMusicPlaysOrFades) {
    MusicPlayer player({.output = "none"}, demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("deep", 30, Millis{100});
    // Refused at once, before the decoder has even picked the playlist up.
    EXPECT_EQ(player.play_test_tone(), std::optional<std::string>{"music is playing"});
    EXPECT_TRUE(wait_for([&] { return player.status().state == "playing"; }, 5s));
    EXPECT_EQ(player.play_test_tone(), std::optional<std::string>{"music is playing"});
    player.fade_out(Millis{300});
    EXPECT_TRUE(wait_for([&] { return player.status().state == "stopped"; }, 5s));
    EXPECT_EQ(player.play_test_tone(), std::nullopt);
}

TEST(MusicPlayer, ATestToneAskedForBehindAFadeOutIsRefusedAndTheFadeEnds) {
    MusicPlayer player({.output = "none"}, demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("deep", 30, Millis{100});
    player.fade_out(Millis{3000});  // long enough that a slow (TSan) thread cannot outlast it
    // The music volume already reads 0 and the decoder may not have shown either command:
    // a tone let in here would replace the fade's ramp and the music would never stop.
    EXPECT_EQ(player.play_test_tone(), std::optional<std::string>{"music is playing"});
    EXPECT_TRUE(wait_for([&] { return player.status().state == "stopped"; }, 10s))
        << player.status().state;
}

TEST(MusicPlayer, MusicAskedForDuringTheToneTakesOver) {
    MusicPlayer player({.output = "none"}, demo_playlists());
    ASSERT_TRUE(player.open());
    ASSERT_EQ(player.play_test_tone(), std::nullopt);
    EXPECT_TRUE(wait_for([&] { return player.status().state == "test_tone"; }, 2s));
    player.play("deep", 30, Millis{100});
    EXPECT_TRUE(wait_for([&] { return player.status().state == "playing"; }, 5s));
    EXPECT_EQ(player.status().volume, 30);
}

}  // namespace
}  // namespace haven::audio
