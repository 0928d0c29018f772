#include "music_player.hpp"

#include <spdlog/spdlog.h>

#include "music_player_impl.hpp"
#include "volume_curve.hpp"

namespace haven::audio {

void MusicPlayer::Impl::send(Command command) {
    {
        std::lock_guard lock(mutex);
        commands.push_back(std::move(command));
    }
    wake.notify_one();
}

void MusicPlayer::Impl::ramp_to(double volume, Millis fade) {
    const double capped = cap_volume(volume, config.max_volume);
    if (capped < volume) {
        spdlog::warn("music: volume {} capped to audio.max_volume {}", volume, capped);
    }
    target_volume = capped;
    renderer.request_ramp(capped, frames(fade));
}

// A device opened for the first time starts the decoder; one reopened at another
// sample rate restarts it at the new rate, resuming where the music was.
void MusicPlayer::Impl::follow_device(const DeviceKeeper::Snapshot& device) {
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

std::optional<MusicPlayer::NowPlaying> MusicPlayer::Impl::now_playing() const {
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
