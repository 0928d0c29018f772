// The decoder thread: takes the control thread's commands, decodes and mixes tracks (or the
// test tone), and keeps the ring ahead of the output's callback.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include "music_player_impl.hpp"
#include "volume_curve.hpp"

namespace haven::audio {

void MusicPlayer::Impl::start_decoder(int sample_rate) {
    rate = sample_rate;
    decoder = std::jthread([this](std::stop_token stop) {
        pthread_setname_np(pthread_self(), "haven-decoder");
        decode_loop(stop);
    });
}

void MusicPlayer::Impl::stop_decoder() {
    if (!decoder.joinable()) return;
    decoder.request_stop();
    wake.notify_one();
    decoder.join();
}

void MusicPlayer::Impl::decode_loop(const std::stop_token& stop) {
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

void MusicPlayer::Impl::handle(Command& command, TrackMixer& mixer, bool& stopping,
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

void MusicPlayer::Impl::publish(const TrackMixer& mixer, bool stopping, bool tone) {
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

}  // namespace haven::audio
