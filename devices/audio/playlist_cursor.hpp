#pragma once
// Walks a playlist forever (a phase may outlast its playlist): in order, or shuffled anew
// each round without playing the same track twice in a row across the round boundary.
// Thread: the decoder thread.

#include <cstddef>
#include <random>
#include <vector>

#include "playlist.hpp"

namespace haven::audio {

class PlaylistCursor {
  public:
    PlaylistCursor(const playlists::Playlist& playlist, unsigned seed);
    // Starts the walk at track `first` (an index into playlist.tracks; out of range means
    // the first track): in order it continues from there; shuffled, the rest of the round
    // is shuffled.
    PlaylistCursor(const playlists::Playlist& playlist, unsigned seed, std::size_t first);

    const playlists::Playlist& playlist() const { return *playlist_; }
    // The next track to play; the playlist must not be empty.
    const playlists::Track& next();
    // Index into playlist.tracks of the track next() returned last.
    std::size_t last_index() const { return last_; }

  private:
    void new_round();

    const playlists::Playlist* playlist_;
    std::vector<std::size_t> order_;
    std::size_t position_ = 0;
    std::size_t last_ = 0;
    std::mt19937 random_;
};

}  // namespace haven::audio
