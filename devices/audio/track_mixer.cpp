#include "track_mixer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "playlist_cursor.hpp"
#include "track_decoder.hpp"
#include "volume_curve.hpp"

namespace haven::audio {

// One decoding track with its gain envelope: fading in (sin), steady, or fading out (cos,
// scaled by the gain it had when the fade-out began).
struct TrackMixer::Voice {
    std::unique_ptr<TrackDecoder> decoder;
    std::shared_ptr<PlaylistCursor> cursor;  // shared by the tracks of one playlist run
    std::string title;
    std::size_t track_index = 0;
    enum class Envelope { fade_in, steady, fade_out } envelope = Envelope::steady;
    double start_gain = 1.0;
    std::uint32_t fade_total = 0;
    std::uint32_t fade_done = 0;

    double gain() const {
        const double progress = fade_total == 0 ? 1.0 : static_cast<double>(fade_done) / fade_total;
        switch (envelope) {
            case Envelope::fade_in:
                return equal_power_crossfade(progress).incoming;
            case Envelope::fade_out:
                return start_gain * equal_power_crossfade(progress).outgoing;
            case Envelope::steady:
                break;
        }
        return 1.0;
    }
    void advance(std::uint32_t frames) {
        if (envelope == Envelope::steady) return;
        fade_done = frames >= fade_total - std::min(fade_done, fade_total) ? fade_total
                                                                           : fade_done + frames;
        if (fade_done == fade_total && envelope == Envelope::fade_in) envelope = Envelope::steady;
    }
    bool silent_for_good() const {
        return decoder->finished() || (envelope == Envelope::fade_out && fade_done >= fade_total);
    }
};

TrackMixer::TrackMixer(std::map<std::string, playlists::Playlist> playlists, int output_rate,
                       std::uint32_t track_crossfade_frames)
    : playlists_(std::move(playlists)),
      output_rate_(output_rate),
      track_crossfade_frames_(track_crossfade_frames) {}

TrackMixer::~TrackMixer() = default;

bool TrackMixer::playing() const {
    return current_ != nullptr;
}
std::string TrackMixer::playlist() const {
    return current_ ? current_->cursor->playlist().id : "";
}
std::string TrackMixer::title() const {
    return current_ ? current_->title : "";
}
std::size_t TrackMixer::track_index() const {
    return current_ ? current_->track_index : 0;
}
std::uint64_t TrackMixer::position_frames() const {
    return current_ ? current_->decoder->position_frames() : 0;
}

void TrackMixer::fade_out_current(std::uint32_t fade_frames) {
    if (!current_) return;
    current_->start_gain = current_->gain();
    current_->envelope = Voice::Envelope::fade_out;
    current_->fade_total = std::max<std::uint32_t>(fade_frames, 1);
    current_->fade_done = 0;
    fading_.push_back(std::move(current_));
}

// Makes the next decodable track of `cursor` the current voice, fading in over
// `fade_frames`. Tries each track at most once, so a folder of broken files cannot spin.
bool TrackMixer::open_track(const std::shared_ptr<PlaylistCursor>& cursor,
                            std::uint32_t fade_frames) {
    for (std::size_t attempt = 0; attempt < cursor->playlist().tracks.size(); ++attempt) {
        const playlists::Track& track = cursor->next();
        try {
            auto voice = std::make_unique<Voice>();
            voice->decoder = std::make_unique<TrackDecoder>(track.file, output_rate_);
            voice->cursor = cursor;
            voice->title = track.title;
            voice->track_index = cursor->last_index();
            voice->envelope = Voice::Envelope::fade_in;
            voice->fade_total = fade_frames;
            current_ = std::move(voice);
            spdlog::info("music: playing '{}' from playlist '{}'", track.title,
                         cursor->playlist().id);
            return true;
        } catch (const std::exception& error) {
            spdlog::warn("music: skipping track: {}", error.what());
        }
    }
    spdlog::error("music: playlist '{}' has no decodable track", cursor->playlist().id);
    return false;
}

bool TrackMixer::start_next_track(std::uint32_t fade_frames) {
    if (!current_) return false;
    fade_frames = std::max(fade_frames, kMinimumFadeFrames);
    const auto cursor = current_->cursor;
    fade_out_current(fade_frames);
    return open_track(cursor, fade_frames);
}

const playlists::Playlist* TrackMixer::find_playable(const std::string& id) const {
    const auto found = playlists_.find(id);
    if (found == playlists_.end() || found->second.tracks.empty()) {
        spdlog::error("music: playlist '{}' is unknown or empty", id);
        return nullptr;
    }
    return &found->second;
}

bool TrackMixer::play(const std::string& id, std::uint32_t fade_frames) {
    const playlists::Playlist* playlist = find_playable(id);
    if (!playlist) return false;
    if (current_ && current_->cursor->playlist().id == id) return true;
    fade_frames = std::max(fade_frames, kMinimumFadeFrames);
    fade_out_current(fade_frames);
    return open_track(std::make_shared<PlaylistCursor>(*playlist, seed_++), fade_frames);
}

bool TrackMixer::play_from(const std::string& id, std::size_t track_index,
                           std::uint64_t position_frames, std::uint32_t fade_frames) {
    const playlists::Playlist* playlist = find_playable(id);
    if (!playlist) return false;
    if (track_index >= playlist->tracks.size()) {
        spdlog::warn("music: playlist '{}' has no track {}; starting from its first", id,
                     track_index);
        track_index = 0;
        position_frames = 0;
    }
    fade_frames = std::max(fade_frames, kMinimumFadeFrames);
    fade_out_current(fade_frames);
    const auto cursor = std::make_shared<PlaylistCursor>(*playlist, seed_++, track_index);
    if (!open_track(cursor, fade_frames)) return false;
    // Haven was down for longer than the rest of that track: walk on through the playlist as
    // the music would have, to the track and the place that would be playing now. A track
    // not yet heard is simply replaced (it made no sound); the walk is bounded so a playlist
    // of empty files cannot spin.
    for (std::size_t hops = 0; position_frames > 0 && current_->track_index == track_index &&
                               hops < 4 * playlist->tracks.size();
         ++hops) {
        const auto length = current_->decoder->length_frames();
        if (length == 0 || position_frames < length) break;
        position_frames -= length;
        if (!open_track(cursor, fade_frames)) return false;
        track_index = current_->track_index;
    }
    // A track that was skipped as undecodable is not the one asked for: start the next at 0.
    if (position_frames > 0 && current_->track_index == track_index &&
        !current_->decoder->seek(position_frames)) {
        spdlog::warn("music: cannot seek '{}' to frame {}; playing it from the start",
                     current_->title, position_frames);
    }
    return true;
}

void TrackMixer::next(std::uint32_t fade_frames) {
    start_next_track(fade_frames);
}

void TrackMixer::stop() {
    current_.reset();
    fading_.clear();
}

void TrackMixer::render(float* out, std::size_t frames) {
    std::fill(out, out + frames * 2, 0.0f);
    // Consecutive tracks overlap: the next one starts when the current one has a crossfade
    // left to play.
    if (current_ && current_->decoder && current_->envelope == Voice::Envelope::steady) {
        const auto length = current_->decoder->length_frames();
        const auto position = current_->decoder->position_frames();
        if (current_->decoder->finished() || position + track_crossfade_frames_ >= length) {
            start_next_track(track_crossfade_frames_);
        }
    }
    scratch_.resize(frames * 2);
    // The envelope is evaluated every kGainStep frames (1.3 ms at 48 kHz) and interpolated
    // linearly in between: sin/cos for every frame of both voices was a tenth of the decoder
    // thread's CPU during crossfades, and over a fade of seconds the straight segments differ
    // from the curve by less than a millionth.
    constexpr std::size_t kGainStep = 64;
    auto mix = [&](Voice& voice) {
        const std::size_t got = voice.decoder->read(scratch_.data(), frames);
        for (std::size_t f = 0; f < got; f += kGainStep) {
            const std::size_t n = std::min(kGainStep, got - f);
            const double from = voice.gain();
            voice.advance(static_cast<std::uint32_t>(n));
            const double step = (voice.gain() - from) / static_cast<double>(n);
            for (std::size_t i = 0; i < n; ++i) {
                const auto gain = static_cast<float>(from + step * static_cast<double>(i));
                out[(f + i) * 2] += scratch_[(f + i) * 2] * gain;
                out[(f + i) * 2 + 1] += scratch_[(f + i) * 2 + 1] * gain;
            }
        }
    };
    if (current_) mix(*current_);
    for (auto& voice : fading_)
        mix(*voice);
    std::erase_if(fading_, [](const auto& voice) { return voice->silent_for_good(); });
    // A current track that ended early (its header over-stated its length) hands over now,
    // with a short fade-in so the next track's first sample cannot click.
    if (current_ && current_->decoder->finished()) start_next_track(kMinimumFadeFrames);
}

}  // namespace haven::audio
