#include "playlist_cursor.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace haven::audio {

PlaylistCursor::PlaylistCursor(const playlists::Playlist& playlist, unsigned seed)
    : playlist_(&playlist), random_(seed) {
    order_.resize(playlist.tracks.size());
    std::iota(order_.begin(), order_.end(), std::size_t{0});
    if (playlist.shuffle) std::shuffle(order_.begin(), order_.end(), random_);
}

PlaylistCursor::PlaylistCursor(const playlists::Playlist& playlist, unsigned seed,
                               std::size_t first)
    : PlaylistCursor(playlist, seed) {
    if (first >= order_.size()) return;
    if (playlist.shuffle) {
        // Bring `first` to the front of the shuffled round; the others keep their order.
        std::rotate(order_.begin(), std::find(order_.begin(), order_.end(), first),
                    std::find(order_.begin(), order_.end(), first) + 1);
    } else {
        position_ = first;
    }
}

void PlaylistCursor::new_round() {
    position_ = 0;
    if (!playlist_->shuffle || order_.size() < 2) return;
    const std::size_t last = order_.back();
    std::shuffle(order_.begin(), order_.end(), random_);
    if (order_.front() == last) std::swap(order_.front(), order_.back());
}

const playlists::Track& PlaylistCursor::next() {
    if (position_ >= order_.size()) new_round();
    last_ = order_[position_++];
    return playlist_->tracks[last_];
}

}  // namespace haven::audio
