// MusicPlayer faults through a real JACK dummy server of this test's own: the server killed
// and restarted mid-playback, missing at start, a resume at a track and position, and a
// decoder starved by a file that stops delivering data (a FIFO).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <thread>
#include <vector>

#include "demo_playlists.hpp"
#include "jack_dummy_server.hpp"
#include "music_player.hpp"
#include "temp_dir.hpp"

namespace haven::audio {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

using haven::test::JackDummyServer;
using test::demo_playlists;
using test::kPlaylists;

config::AudioConfig jack_config() {
    return {.output = "system", .max_volume = 70, .crossfade = Millis{1000}};
}

bool wait_for(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(10ms);
    }
    return condition();
}

// Polls like the daemon (but faster) until poll() reports a change.
std::optional<MusicPlayer::DeviceChange> wait_for_change(MusicPlayer& player,
                                                         std::chrono::milliseconds timeout) {
    std::optional<MusicPlayer::DeviceChange> change;
    wait_for([&] { return (change = player.poll()).has_value(); }, timeout);
    return change;
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(MusicPlayerFaults, JackKilledMidPlaybackIsReportedOnceThenMusicResumesOnRestart) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready()) << "jackd (jackd2) did not start";
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("arrival", 50, Millis{200});
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s)) << "callback never ran";
    EXPECT_FALSE(player.poll().has_value()) << "nothing changed yet";

    const auto killed = Clock::now();
    jack.stop();
    const auto lost = wait_for_change(player, 5s);
    ASSERT_TRUE(lost.has_value()) << "loss not reported within 5 s";
    const double detect_s = seconds_since(killed);
    EXPECT_FALSE(lost->device_ok);
    EXPECT_NE(lost->detail.find("lost"), std::string::npos) << lost->detail;
    EXPECT_FALSE(player.status().device_ok);
    EXPECT_FALSE(player.poll().has_value()) << "a loss is reported once";
    EXPECT_EQ(player.status().playlist, "arrival") << "the music waits for the device";

    std::this_thread::sleep_for(1500ms);  // a retry or two fail meanwhile, quietly
    EXPECT_FALSE(player.poll().has_value()) << "failed retries are not new changes";

    const auto restarted = Clock::now();
    ASSERT_TRUE(jack.start()) << "jackd did not restart";
    const auto back = wait_for_change(player, 40s);  // the backoff tops out at 30 s
    ASSERT_TRUE(back.has_value()) << "recovery not reported";
    const double recover_s = seconds_since(restarted);
    EXPECT_TRUE(back->device_ok) << back->detail;
    EXPECT_TRUE(player.status().device_ok);
    const auto callbacks = player.callbacks();
    EXPECT_TRUE(wait_for([&] { return player.callbacks() > callbacks + 20; }, 5s))
        << "callbacks did not run again";
    EXPECT_EQ(player.status().playlist, "arrival");
    EXPECT_EQ(player.status().state, "playing");
    EXPECT_EQ(player.status().volume, 50);
    EXPECT_FALSE(player.poll().has_value()) << "a recovery is reported once";
    std::printf("[ timing ] loss reported %.2f s after the kill; recovery %.2f s after restart\n",
                detect_s, recover_s);
}

TEST(MusicPlayerFaults, ServerBackAtAnotherRateResumesTheSameTrackAtTheNewRate) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    player.play_from("arrival", 0, Millis{12000}, 50, Millis{200});
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 60; }, 5s));
    const auto before = player.now_playing();
    ASSERT_TRUE(before.has_value());
    jack.stop();
    ASSERT_TRUE(wait_for_change(player, 5s).has_value());
    ASSERT_TRUE(jack.start(44100));
    const auto back = wait_for_change(player, 40s);
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(back->device_ok);
    EXPECT_EQ(player.sample_rate(), 44100);
    const auto callbacks = player.callbacks();
    EXPECT_TRUE(wait_for([&] { return player.callbacks() > callbacks + 40; }, 5s));
    EXPECT_EQ(player.status().title, "Haven demo - First light");
    const auto after = player.now_playing();
    ASSERT_TRUE(after.has_value());
    EXPECT_EQ(after->track_index, 0u);
    // Where it was when the server went, give or take what was heard since the restart.
    EXPECT_GE(after->position, before->position);
    EXPECT_LE(after->position, before->position + Millis{4000});
    const auto underruns = player.status().underruns;
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(player.status().underruns, underruns);
}

// A server that hangs instead of dying: no callbacks for 2 s count as a loss, and the
// control thread's calls stay quick while the device thread deals with the frozen server.
TEST(MusicPlayerFaults, FrozenServerIsLostByItsSilenceAndControlCallsStayQuick) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("deep", 40, Millis{200});
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s));
    jack.signal(SIGSTOP);
    // Thawed whatever happens, before the player's teardown talks to the server.
    std::unique_ptr<void, std::function<void(void*)>> thaw(&jack,
                                                           [&](void*) { jack.signal(SIGCONT); });
    double slowest_ms = 0;
    std::optional<MusicPlayer::DeviceChange> lost;
    wait_for(
        [&] {
            const auto start = Clock::now();
            lost = player.poll();
            player.status();
            player.now_playing();
            slowest_ms = std::max(slowest_ms, seconds_since(start) * 1000);
            return lost.has_value();
        },
        10s);
    ASSERT_TRUE(lost.has_value()) << "a frozen server was not noticed";
    EXPECT_FALSE(lost->device_ok);
    EXPECT_NE(lost->detail.find("no audio callbacks"), std::string::npos) << lost->detail;
    EXPECT_LT(slowest_ms, 100) << "control-thread calls must not wait for the device";
    thaw.reset();
    const auto back = wait_for_change(player, 40s);
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(back->device_ok);
    std::printf("[ timing ] slowest poll/status/now_playing while frozen: %.2f ms\n", slowest_ms);
}

TEST(MusicPlayerFaults, CrashedServerIsLostAsWell) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    player.play("deep", 40, Millis{200});
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s));
    jack.stop(SIGKILL);
    const auto lost = wait_for_change(player, 5s);
    ASSERT_TRUE(lost.has_value());
    EXPECT_FALSE(lost->device_ok);
}

// "default" on a machine whose only sound is JACK. With libasound2-plugins (most desktops)
// it is ALSA's default PCM, which is the JACK plugin: PortAudio's ALSA stream then hangs when
// the server dies, and PortAudio's JACK host API aborts in Pa_Terminate; the sink process
// that holds them is killed instead. Without the plugins, PortAudio's only device is JACK's
// and "default" plays to "system" through libjack. Either way it survives a restart.
TEST(MusicPlayerFaults, DefaultOutputOnAJackOnlyMachineSurvivesARestart) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    MusicPlayer player({.output = "default", .max_volume = 70, .crossfade = Millis{1000}},
                       demo_playlists());
    ASSERT_TRUE(player.open()) << player.status().device;
    player.play("deep", 40, Millis{200});
    ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s));
    jack.stop();
    const auto lost = wait_for_change(player, 5s);
    ASSERT_TRUE(lost.has_value());
    EXPECT_FALSE(lost->device_ok);
    ASSERT_TRUE(jack.start());
    const auto back = wait_for_change(player, 40s);
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(back->device_ok);
    const auto callbacks = player.callbacks();
    EXPECT_TRUE(wait_for([&] { return player.callbacks() > callbacks + 20; }, 5s));
}

// /dev/shm files and jack-shm-registry bytes that name JACK server `server`.
std::string shm_traces_of(const std::string& server) {
    std::string found;
    for (const auto& entry : fs::directory_iterator("/dev/shm")) {
        const std::string file = entry.path().filename().string();
        if (file.find(server) != std::string::npos) found += file + " ";
    }
    std::ifstream registry("/dev/shm/jack-shm-registry", std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(registry), {}};
    if (bytes.find(":" + server + ":") != std::string::npos) found += "(registry slot)";
    return found;
}

// A crashed server and a SIGKILLed sink (its ALSA-plugin client) leave files and a registry
// slot behind; the fixture removes its server's on teardown, so later runs find free slots.
TEST(MusicPlayerFaults, TheJackFixtureLeavesNothingOfItsServerInDevShm) {
    std::string server;
    {
        JackDummyServer jack;
        ASSERT_TRUE(jack.ready());
        server = jack.name();
        MusicPlayer player({.output = "default", .max_volume = 70, .crossfade = Millis{1000}},
                           demo_playlists());
        ASSERT_TRUE(player.open()) << player.status().device;
        player.play("deep", 40, Millis{200});
        ASSERT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s));
        EXPECT_NE(shm_traces_of(server), "") << "a running server must show: the check works";
        jack.stop(SIGKILL);
        ASSERT_TRUE(wait_for_change(player, 5s).has_value());
        ASSERT_TRUE(jack.start());  // and once more, killed with a client connected
        ASSERT_TRUE(wait_for_change(player, 40s).has_value());
        jack.signal(SIGKILL);
    }
    EXPECT_EQ(shm_traces_of(server), "");
}

TEST(MusicPlayerFaults, DeviceMissingAtStartPlaysWhatWasAskedOnceItAppears) {
    JackDummyServer jack(/*start_now=*/false);
    MusicPlayer player(jack_config(), demo_playlists());
    EXPECT_FALSE(player.open());
    EXPECT_FALSE(player.status().device_ok);
    player.play("deep", 40, Millis{500});  // the phase asks for music meanwhile
    EXPECT_FALSE(player.poll().has_value()) << "open() already said the device is missing";
    ASSERT_TRUE(jack.start());
    const auto back = wait_for_change(player, 40s);
    ASSERT_TRUE(back.has_value());
    EXPECT_TRUE(back->device_ok);
    EXPECT_TRUE(wait_for([&] { return player.status().title == "01-undertow"; }, 5s));
    EXPECT_TRUE(wait_for([&] { return player.callbacks() > 20; }, 5s));
}

TEST(MusicPlayerFaults, PlayFromStartsAtTheTrackAndPositionAsked) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    MusicPlayer player(jack_config(), demo_playlists());
    ASSERT_TRUE(player.open());
    EXPECT_FALSE(player.now_playing().has_value()) << "nothing plays yet";

    const auto asked = Clock::now();
    player.play_from("arrival", 1, Millis{10000}, 50, Millis{300});
    ASSERT_TRUE(wait_for([&] { return player.status().title == "Haven demo - Open window"; }, 5s));
    // Heard, not merely decoded: past the decoder's 0.7 s lead, the position moves on.
    std::optional<MusicPlayer::NowPlaying> now;
    double elapsed_ms = 0;
    ASSERT_TRUE(wait_for(
        [&] {
            now = player.now_playing();
            elapsed_ms = seconds_since(asked) * 1000;
            return now && now->position.count() >= 10000 + 500;
        },
        5s))
        << (now ? std::to_string(now->position.count()) : "nothing") << " ms";
    EXPECT_EQ(now->playlist, "arrival");
    EXPECT_EQ(now->track_index, 1u);
    // Heard position: 10 s plus the time played since, less the start-up before the first
    // callback; never the decoder's lead on top.
    EXPECT_LE(now->position.count(), 10000 + elapsed_ms + 100);
    EXPECT_EQ(player.status().volume, 50);

    // Resuming the playlist that plays already still moves to the position asked.
    player.play_from("arrival", 2, Millis{5000}, 50, Millis{300});
    ASSERT_TRUE(wait_for([&] { return player.status().title == "Haven demo - Settling"; }, 5s));
    ASSERT_TRUE(wait_for(
        [&] {
            const auto p = player.now_playing();
            return p && p->track_index == 2 && p->position >= Millis{5000};
        },
        5s));

    // A track index from an older playlist file: the first track, from its start.
    player.play_from("deep", 7, Millis{3000}, 40, Millis{300});
    ASSERT_TRUE(wait_for([&] { return player.status().title == "01-undertow"; }, 5s));
    ASSERT_TRUE(wait_for([&] { return player.now_playing().has_value(); }, 5s));
    EXPECT_EQ(player.now_playing()->track_index, 0u);
    EXPECT_LT(player.now_playing()->position, Millis{2500});

    player.fade_out(Millis{200});
    EXPECT_TRUE(wait_for([&] { return !player.now_playing().has_value(); }, 5s));
}

// A 16-bit stereo WAV header for `frames` frames at 48 kHz.
std::vector<char> wav_header(std::uint32_t frames) {
    const std::uint32_t data_bytes = frames * 4;
    std::vector<char> h;
    auto put = [&](std::uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i)
            h.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    };
    auto tag = [&](const char* t) { h.insert(h.end(), t, t + 4); };
    tag("RIFF");
    put(36 + data_bytes, 4);
    tag("WAVE");
    tag("fmt ");
    put(16, 4);
    put(1, 2);  // PCM
    put(2, 2);
    put(48000, 4);
    put(48000 * 4, 4);
    put(4, 2);
    put(16, 2);
    tag("data");
    put(data_bytes, 4);
    return h;
}

void write_tone(int fd, std::uint32_t frames) {
    std::vector<std::int16_t> samples(frames * 2);
    for (std::uint32_t f = 0; f < frames; ++f)
        samples[f * 2] = samples[f * 2 + 1] =
            static_cast<std::int16_t>(3000 * std::sin(2 * M_PI * 220 * f / 48000.0));
    const auto* bytes = reinterpret_cast<const char*>(samples.data());
    std::size_t left = samples.size() * 2;
    while (left > 0) {
        const auto n = ::write(fd, bytes, left);
        if (n <= 0) return;
        bytes += n;
        left -= static_cast<std::size_t>(n);
    }
}

TEST(MusicPlayerFaults, StarvedDecoderCountsUnderrunsAndPlaybackGoesOn) {
    JackDummyServer jack;
    ASSERT_TRUE(jack.ready());
    const haven::test::TempDir dir("starve");
    const fs::path fifo = dir / "stall.wav";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    // Built by hand: the playlist loader takes regular files only, not a FIFO.
    auto lists = demo_playlists();
    lists["starve"] = playlists::Playlist{
        .id = "starve",
        .tracks = {{.file = fifo, .title = "stall"},
                   {.file = kPlaylists / "deep" / "01-undertow.ogg", .title = "01-undertow"}}};

    MusicPlayer player({.output = "system", .max_volume = 70, .crossfade = Millis{50}},
                       std::move(lists));
    ASSERT_TRUE(player.open());
    std::uint64_t before_stall = 0;
    std::uint64_t during_stall = 0;
    {
        // The "file" delivers 0.5 s, stalls 2 s (longer than the decoder's 0.7 s lead),
        // then the rest. The writer always finishes, so the decoder is never left blocked.
        std::jthread writer([&] {
            const int fd = ::open(fifo.c_str(), O_WRONLY);  // waits for the decoder
            if (fd < 0) return;
            const auto header = wav_header(48000 * 3);
            (void)!::write(fd, header.data(), header.size());
            write_tone(fd, 24000);
            std::this_thread::sleep_for(600ms);
            before_stall = player.status().underruns;
            std::this_thread::sleep_for(1400ms);
            during_stall = player.status().underruns;
            write_tone(fd, 48000 * 3 - 24000);
            ::close(fd);
        });
        player.play("starve", 50, Millis{100});
    }
    EXPECT_GT(during_stall, before_stall + 10) << "a starved callback must count underruns";
    EXPECT_TRUE(wait_for([&] { return player.status().title == "01-undertow"; }, 10s))
        << "playback goes on after the stall";
    const auto underruns = player.status().underruns;
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(player.status().underruns, underruns) << "no underruns once data flows again";
    player.fade_out(Millis{100});
}

}  // namespace
}  // namespace haven::audio
