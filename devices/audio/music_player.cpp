#include "music_player.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "device_keeper.hpp"
#include "output_renderer.hpp"
#include "spsc_ring.hpp"
#include "test_tone.hpp"
#include "track_mixer.hpp"
#include "volume_curve.hpp"

namespace haven::audio {
namespace {

// The decoder's lead: about 0.7 s at 48 kHz. Enough to ride out a busy machine, short
// enough that a crossfade starts soon after it is asked for.
constexpr std::size_t kRingFrames = 32768;
constexpr std::chrono::milliseconds kTopUpEvery{40};
constexpr std::size_t kDecodeBlockFrames = 1024;
constexpr Millis kShutdownFade{40};
constexpr Millis kFirstOpenWait{5000};

// Durations travel as Millis: the decoder converts them at its own rate, which is not
// known before the device has opened.
struct PlayCommand {
    std::string playlist;
    Millis fade;  // used when starting from silence
};
struct PlayFromCommand {
    std::string playlist;
    std::size_t track_index;
    Millis position;
    Millis fade;
};
struct NextCommand {
    Millis fade;
};
struct FadeOutCommand {};
struct TestToneCommand {};
using Command =
    std::variant<PlayCommand, PlayFromCommand, NextCommand, FadeOutCommand, TestToneCommand>;

bool is_test_tone(const Command& command) {
    return std::holds_alternative<TestToneCommand>(command);
}

std::uint32_t frames_at(Millis duration, int rate) {
    const auto count = duration.count() * static_cast<long long>(rate) / 1000;
    return static_cast<std::uint32_t>(std::clamp<long long>(count, 0, 0xFFFFFFF0));
}

}  // namespace

struct MusicPlayer::Impl {
    config::AudioConfig config;
    std::map<std::string, playlists::Playlist> playlists;
    SpscRing<float> ring{kRingFrames * kChannels};
    OutputRenderer renderer{ring};
    std::atomic<double> target_volume{0};  // written by the control thread only
    std::unique_ptr<DeviceKeeper> keeper;
    int rate = 0;  // the decoder's rate; set while no decoder thread runs

    // Control thread only: what poll() has reported so far.
    bool reported_ok = false;
    std::uint64_t reported_opens = 0;

    // Control thread -> decoder thread. A mutex is fine here: neither side is real-time.
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::vector<Command> commands;
    Status shown;  // decoder thread -> status(), guarded by mutex
    // Commands the decoder has taken off `commands` but whose effect `shown` does not show
    // yet: without them a test tone asked for in that window would be accepted beside a
    // tone or music already on its way. Guarded by mutex.
    bool tone_in_hand = false;
    bool music_in_hand = false;
    std::size_t shown_track = 0;
    std::uint64_t shown_position = 0;        // decoded frames into the current track
    std::uint64_t shown_write_position = 0;  // ring write position when it was taken
    std::jthread decoder;

    // Before the device has opened there is no rate yet: fades asked for meanwhile are
    // measured at 48 kHz rather than collapsing to nothing.
    std::uint32_t frames(Millis duration) const {
        return frames_at(duration, rate > 0 ? rate : 48000);
    }

    void send(Command command) {
        {
            std::lock_guard lock(mutex);
            commands.push_back(std::move(command));
        }
        wake.notify_one();
    }

    void start_decoder(int sample_rate) {
        rate = sample_rate;
        decoder = std::jthread([this](std::stop_token stop) {
            pthread_setname_np(pthread_self(), "haven-decoder");
            decode_loop(stop);
        });
    }

    void stop_decoder() {
        if (!decoder.joinable()) return;
        decoder.request_stop();
        wake.notify_one();
        decoder.join();
    }

    void decode_loop(const std::stop_token& stop) {
        TrackMixer mixer(playlists, rate, frames(config.crossfade));
        std::vector<float> block(kDecodeBlockFrames * kChannels);
        bool stopping = false;
        std::optional<TestTone> tone;
        while (!stop.stop_requested()) {
            std::vector<Command> pending;
            {
                std::unique_lock lock(mutex);
                // Commands wake us at once; otherwise top up the ring every kTopUpEvery,
                // a small fraction of the 0.68 s it holds, so the output never starves
                // and an idle room costs 25 wake-ups a second, not 200.
                wake.wait_for(lock, kTopUpEvery,
                              [&] { return !commands.empty() || stop.stop_requested(); });
                pending.swap(commands);
                tone_in_hand = tone_in_hand || std::ranges::any_of(pending, is_test_tone);
                music_in_hand = music_in_hand || !std::ranges::all_of(pending, is_test_tone);
            }
            for (Command& command : pending)
                handle(command, mixer, stopping, tone);
            // Decoding stops once the output has ramped to silence, not before: the tail of
            // the fade must still have music under it.
            if (stopping && !renderer.ramping() && renderer.volume() <= 0) {
                mixer.stop();
                stopping = false;
            }
            // Silence is written too when stopped, so an empty ring always means starvation.
            // While the device is lost the ring stays full and decoding pauses here.
            while (ring.writable() >= block.size() && !stop.stop_requested()) {
                mixer.render(block.data(), kDecodeBlockFrames);
                if (tone) {
                    tone->mix_into(block.data(), kDecodeBlockFrames);
                    if (tone->finished()) tone.reset();
                }
                ring.write(block.data(), block.size());
            }
            publish(mixer, stopping, tone.has_value());
        }
    }

    void handle(Command& command, TrackMixer& mixer, bool& stopping,
                std::optional<TestTone>& tone) {
        // Music wins over a speaker check: the tone fades out as the music fades in.
        if (tone && !is_test_tone(command)) tone->release();
        if (is_test_tone(command)) {
            if (!mixer.playing() && !tone) tone.emplace(TestToneSpec{}, rate);
        } else if (auto* play = std::get_if<PlayCommand>(&command)) {
            stopping = false;
            const bool switching = mixer.playing();
            mixer.play(play->playlist, switching ? frames(config.crossfade) : frames(play->fade));
        } else if (auto* from = std::get_if<PlayFromCommand>(&command)) {
            stopping = false;
            const auto position = static_cast<std::uint64_t>(frames(from->position));
            mixer.play_from(from->playlist, from->track_index, position, frames(from->fade));
        } else if (auto* next = std::get_if<NextCommand>(&command)) {
            mixer.next(frames(next->fade));
        } else if (std::holds_alternative<FadeOutCommand>(command)) {
            stopping = mixer.playing();
        }
    }

    void publish(const TrackMixer& mixer, bool stopping, bool tone) {
        std::lock_guard lock(mutex);
        tone_in_hand = false;
        music_in_hand = false;
        shown.state = mixer.playing() ? (stopping ? "fading_out" : "playing")
                      : tone          ? "test_tone"
                                      : "stopped";
        shown.playlist = mixer.playlist();
        shown.title = mixer.title();
        shown_track = mixer.track_index();
        shown_position = mixer.position_frames();
        shown_write_position = ring.write_position();
    }

    void ramp_to(double volume, Millis fade) {
        const double capped = cap_volume(volume, config.max_volume);
        if (capped < volume) {
            spdlog::warn("music: volume {} capped to audio.max_volume {}", volume, capped);
        }
        target_volume = capped;
        renderer.request_ramp(capped, frames(fade));
    }

    // A device opened for the first time starts the decoder; one reopened at another
    // sample rate restarts it at the new rate, resuming where the music was.
    void follow_device(const DeviceKeeper::Snapshot& device) {
        if (!device.ok) return;
        if (!decoder.joinable()) {
            start_decoder(device.sample_rate);
            return;
        }
        if (device.sample_rate == rate) return;
        const auto resume = now_playing();
        spdlog::info("music: output rate changed from {} to {} Hz; restarting the decoder", rate,
                     device.sample_rate);
        stop_decoder();
        // What the old decoder left in the ring was made for the old rate: drop it.
        renderer.request_skip_to(ring.write_position());
        if (resume) {
            std::lock_guard lock(mutex);
            commands.insert(commands.begin(), PlayFromCommand{.playlist = resume->playlist,
                                                              .track_index = resume->track_index,
                                                              .position = resume->position,
                                                              .fade = kDeviceResumeFade});
        }
        start_decoder(device.sample_rate);
    }

    std::optional<NowPlaying> now_playing() const {
        std::lock_guard lock(mutex);
        if (shown.state != "playing" || shown.playlist.empty() || rate <= 0) return std::nullopt;
        const std::uint64_t read = ring.read_position();
        const std::uint64_t lead =
            shown_write_position > read ? (shown_write_position - read) / kChannels : 0;
        const std::uint64_t heard = shown_position > lead ? shown_position - lead : 0;
        return NowPlaying{.playlist = shown.playlist,
                          .track_index = shown_track,
                          .position = Millis{static_cast<long long>(heard * 1000 / rate)}};
    }
};

MusicPlayer::MusicPlayer(const config::AudioConfig& config,
                         std::map<std::string, playlists::Playlist> playlists)
    : impl_(std::make_unique<Impl>()) {
    impl_->config = config;
    impl_->playlists = std::move(playlists);
    impl_->shown.state = "stopped";
}

MusicPlayer::~MusicPlayer() {
    Impl& p = *impl_;
    const auto device_ok = [&] { return p.keeper && p.keeper->snapshot().ok; };
    if (device_ok() && p.renderer.volume() > 0) {
        p.renderer.request_ramp(0, p.frames(kShutdownFade));
        const auto deadline = std::chrono::steady_clock::now() + kShutdownFade * 5;
        while ((p.renderer.ramping() || p.renderer.volume() > 0) && device_ok() &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    p.keeper.reset();  // closes the device: the callback stops before the ring goes away
    p.stop_decoder();
}

bool MusicPlayer::open() {
    Impl& p = *impl_;
    if (!p.keeper) {
        p.keeper = std::make_unique<DeviceKeeper>(p.config.output, p.renderer, p.target_volume,
                                                  kDeviceResumeFade);
    }
    const auto device = p.keeper->wait_first_attempt(kFirstOpenWait);
    p.reported_ok = device.ok;
    p.reported_opens = device.opens;
    p.follow_device(device);
    if (!device.ok) {
        spdlog::error("music: {}; continuing without sound and retrying",
                      device.attempted ? device.detail : "audio output still opening after 5 s");
    }
    return device.ok;
}

std::optional<MusicPlayer::DeviceChange> MusicPlayer::poll() {
    Impl& p = *impl_;
    if (!p.keeper) return std::nullopt;
    const auto device = p.keeper->snapshot();
    if (!device.attempted) return std::nullopt;
    p.follow_device(device);
    // A loss and a recovery between two polls still count as a recovery to report.
    const bool reopened = device.ok && device.opens != p.reported_opens;
    if (device.ok == p.reported_ok && !reopened) return std::nullopt;
    p.reported_ok = device.ok;
    p.reported_opens = device.opens;
    return DeviceChange{.device_ok = device.ok, .detail = device.detail};
}

void MusicPlayer::play(const std::string& playlist, double volume, Millis fade) {
    if (!impl_->playlists.contains(playlist)) {
        spdlog::error("music: no playlist named '{}'", playlist);
        return;
    }
    impl_->send(PlayCommand{.playlist = playlist, .fade = fade});
    impl_->ramp_to(volume, fade);
}

void MusicPlayer::play_from(const std::string& playlist, std::size_t track_index, Millis position,
                            double volume, Millis fade) {
    if (!impl_->playlists.contains(playlist)) {
        spdlog::error("music: no playlist named '{}'", playlist);
        return;
    }
    impl_->send(PlayFromCommand{.playlist = playlist,
                                .track_index = track_index,
                                .position = std::max(position, Millis{0}),
                                .fade = fade});
    impl_->ramp_to(volume, fade);
}

void MusicPlayer::set_volume(double volume, Millis fade) {
    impl_->ramp_to(volume, fade);
}

void MusicPlayer::next_track(Millis crossfade) {
    impl_->send(NextCommand{.fade = crossfade});
}

void MusicPlayer::fade_out(Millis fade) {
    impl_->target_volume = 0;
    impl_->renderer.request_ramp(0, impl_->frames(fade));
    impl_->send(FadeOutCommand{});
}

std::optional<std::string> MusicPlayer::play_test_tone() {
    Impl& p = *impl_;
    const auto device = p.keeper ? p.keeper->snapshot() : DeviceKeeper::Snapshot{};
    if (!device.ok || !p.decoder.joinable()) {
        return "the audio output is not available" +
               (device.detail.empty() ? std::string{} : " (" + device.detail + ")");
    }
    {
        std::lock_guard lock(p.mutex);
        const bool tone_asked = p.tone_in_hand || std::ranges::any_of(p.commands, is_test_tone);
        if (p.shown.state == "test_tone" || tone_asked) return "a test tone is already playing";
        // Music asked for, or a fade-out, not yet shown: the tone's volume ramp would replace
        // the fade's, and music would play on instead of fading to silence.
        const bool music_asked = p.music_in_hand || !std::ranges::all_of(p.commands, is_test_tone);
        if (p.shown.state != "stopped" || p.target_volume > 0 || music_asked)
            return "music is playing";
        p.commands.emplace_back(std::in_place_type<TestToneCommand>);
    }
    p.wake.notify_one();
    // The master volume stays at the tone's level afterwards: the stream is silent then, and
    // the next music fades in from silence on its own, ramping the master to its volume.
    p.renderer.request_ramp(test_tone_volume(TestToneSpec{}, p.config.max_volume),
                            p.frames(TestToneSpec{}.fade));
    return std::nullopt;
}

MusicPlayer::Status MusicPlayer::status() const {
    Status status;
    {
        std::lock_guard lock(impl_->mutex);
        status = impl_->shown;
    }
    status.volume = impl_->target_volume;
    if (impl_->keeper) {
        const auto device = impl_->keeper->snapshot();
        status.device_ok = device.ok;
        status.device = device.detail;
    }
    status.underruns = impl_->renderer.underruns();
    return status;
}

std::optional<MusicPlayer::NowPlaying> MusicPlayer::now_playing() const {
    return impl_->now_playing();
}

std::uint64_t MusicPlayer::callbacks() const {
    return impl_->renderer.callbacks();
}
int MusicPlayer::sample_rate() const {
    return impl_->rate;
}

}  // namespace haven::audio
