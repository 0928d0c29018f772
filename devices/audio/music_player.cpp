#include "music_player.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <variant>
#include <vector>

#include "audio_output.hpp"
#include "output_renderer.hpp"
#include "spsc_ring.hpp"
#include "track_mixer.hpp"
#include "volume_curve.hpp"

namespace haven::audio {
namespace {

// The decoder's lead: about 0.7 s at 48 kHz. Enough to ride out a busy machine, short
// enough that a crossfade starts soon after it is asked for.
constexpr std::size_t kRingFrames = 32768;
constexpr std::size_t kDecodeBlockFrames = 1024;
constexpr int kNullSinkRate = 48000;
constexpr Millis kShutdownFade{40};

struct PlayCommand {
    std::string playlist;
    std::uint32_t fade_frames;  // used when starting from silence
};
struct NextCommand {
    std::uint32_t fade_frames;
};
struct FadeOutCommand {};
using Command = std::variant<PlayCommand, NextCommand, FadeOutCommand>;

}  // namespace

struct MusicPlayer::Impl {
    config::AudioConfig config;
    std::map<std::string, playlists::Playlist> playlists;
    SpscRing<float> ring{kRingFrames * kChannels};
    OutputRenderer renderer{ring};
    std::unique_ptr<AudioOutput> output;
    int rate = kNullSinkRate;
    double target_volume = 0;  // control thread

    // Control thread -> decoder thread. A mutex is fine here: neither side is real-time.
    std::mutex mutex;
    std::condition_variable wake;
    std::vector<Command> commands;
    Status shown;  // decoder thread -> status(), guarded by mutex
    std::jthread decoder;

    std::uint32_t frames(Millis duration) const {
        const auto count = duration.count() * static_cast<long long>(rate) / 1000;
        return static_cast<std::uint32_t>(std::clamp<long long>(count, 0, 0xFFFFFFF0));
    }

    void send(Command command) {
        {
            std::lock_guard lock(mutex);
            commands.push_back(std::move(command));
        }
        wake.notify_one();
    }

    void decode_loop(const std::stop_token& stop) {
        TrackMixer mixer(playlists, rate, frames(config.crossfade));
        std::vector<float> block(kDecodeBlockFrames * kChannels);
        bool stopping = false;
        while (!stop.stop_requested()) {
            std::vector<Command> pending;
            {
                std::unique_lock lock(mutex);
                // Wake every few ms to top up the ring; commands wake us at once.
                wake.wait_for(lock, std::chrono::milliseconds(5),
                              [&] { return !commands.empty() || stop.stop_requested(); });
                pending.swap(commands);
            }
            for (Command& command : pending)
                handle(command, mixer, stopping);
            // Decoding stops once the output has ramped to silence, not before: the tail of
            // the fade must still have music under it.
            if (stopping && !renderer.ramping() && renderer.volume() <= 0) {
                mixer.stop();
                stopping = false;
            }
            // Silence is written too when stopped, so an empty ring always means starvation.
            while (ring.writable() >= block.size() && !stop.stop_requested()) {
                mixer.render(block.data(), kDecodeBlockFrames);
                ring.write(block.data(), block.size());
            }
            publish(mixer, stopping);
        }
    }

    void handle(Command& command, TrackMixer& mixer, bool& stopping) {
        if (auto* play = std::get_if<PlayCommand>(&command)) {
            stopping = false;
            const bool switching = mixer.playing();
            mixer.play(play->playlist, switching ? frames(config.crossfade) : play->fade_frames);
        } else if (auto* next = std::get_if<NextCommand>(&command)) {
            mixer.next(next->fade_frames);
        } else if (std::holds_alternative<FadeOutCommand>(command)) {
            stopping = mixer.playing();
        }
    }

    void publish(const TrackMixer& mixer, bool stopping) {
        std::lock_guard lock(mutex);
        shown.state = !mixer.playing() ? "stopped" : stopping ? "fading_out" : "playing";
        shown.playlist = mixer.playlist();
        shown.title = mixer.title();
    }

    void ramp_to(double volume, Millis fade) {
        const double capped = cap_volume(volume, config.max_volume);
        if (capped < volume) {
            spdlog::warn("music: volume {} capped to audio.max_volume {}", volume, capped);
        }
        target_volume = capped;
        renderer.request_ramp(capped, frames(fade));
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
    if (p.output && p.renderer.volume() > 0) {
        p.renderer.request_ramp(0, p.frames(kShutdownFade));
        const auto deadline = std::chrono::steady_clock::now() + kShutdownFade * 5;
        while ((p.renderer.ramping() || p.renderer.volume() > 0) && p.output->healthy() &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    p.output.reset();  // stops the callback before the ring and decoder go away
    if (p.decoder.joinable()) {
        p.decoder.request_stop();
        p.wake.notify_one();
        p.decoder.join();
    }
}

bool MusicPlayer::open() {
    Impl& p = *impl_;
    if (p.output) return true;
    if (p.config.output == "none") {
        p.output = open_null_output(p.renderer, kNullSinkRate);
    } else {
        std::string error;
        p.output = open_portaudio_output(p.config.output, p.renderer, error);
        if (!p.output) {
            spdlog::error("music: cannot open audio output '{}': {}; continuing without sound",
                          p.config.output, error);
            return false;
        }
    }
    p.rate = p.output->sample_rate();
    p.decoder = std::jthread([&p](std::stop_token stop) { p.decode_loop(stop); });
    spdlog::info("music: output '{}' open at {} Hz", p.config.output, p.rate);
    return true;
}

void MusicPlayer::play(const std::string& playlist, double volume, Millis fade) {
    if (!impl_->playlists.contains(playlist)) {
        spdlog::error("music: no playlist named '{}'", playlist);
        return;
    }
    impl_->send(PlayCommand{.playlist = playlist, .fade_frames = impl_->frames(fade)});
    impl_->ramp_to(volume, fade);
}

void MusicPlayer::set_volume(double volume, Millis fade) {
    impl_->ramp_to(volume, fade);
}

void MusicPlayer::next_track(Millis crossfade) {
    impl_->send(NextCommand{.fade_frames = impl_->frames(crossfade)});
}

void MusicPlayer::fade_out(Millis fade) {
    impl_->target_volume = 0;
    impl_->renderer.request_ramp(0, impl_->frames(fade));
    impl_->send(FadeOutCommand{});
}

MusicPlayer::Status MusicPlayer::status() const {
    Status status;
    {
        std::lock_guard lock(impl_->mutex);
        status = impl_->shown;
    }
    status.volume = impl_->target_volume;
    status.device_ok = impl_->output && impl_->output->healthy();
    status.underruns = impl_->renderer.underruns();
    return status;
}

std::uint64_t MusicPlayer::callbacks() const {
    return impl_->renderer.callbacks();
}
int MusicPlayer::sample_rate() const {
    return impl_->rate;
}

}  // namespace haven::audio
