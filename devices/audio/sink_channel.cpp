#include "sink_channel.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <new>
#include <system_error>

namespace haven::audio {
namespace {

constexpr std::size_t kMask = SinkShared::kFrames - 1;
static_assert((SinkShared::kFrames & kMask) == 0, "a power of two: positions map by mask");

void* map(int fd) {
    void* at = ::mmap(nullptr, sizeof(SinkShared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    return at == MAP_FAILED ? nullptr : at;
}

}  // namespace

SinkChannel::SinkChannel() {
    fd_ = ::memfd_create("haven-audio-sink", MFD_CLOEXEC);
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "memfd_create");
    if (::ftruncate(fd_, sizeof(SinkShared)) != 0) {
        const int error = errno;
        ::close(fd_);
        throw std::system_error(error, std::generic_category(), "ftruncate of the audio channel");
    }
    void* at = map(fd_);
    if (!at) {
        const int error = errno;
        ::close(fd_);
        throw std::system_error(error, std::generic_category(), "mmap of the audio channel");
    }
    shared_ = new (at) SinkShared{};
}

SinkChannel::~SinkChannel() {
    ::munmap(shared_, sizeof(SinkShared));
    ::close(fd_);
}

std::size_t SinkChannel::lead() const noexcept {
    return shared_->written.load(std::memory_order_relaxed) -
           shared_->read.load(std::memory_order_acquire);
}

void SinkChannel::fill_from(FrameSource& source, std::size_t frames) noexcept {
    std::uint64_t at = shared_->written.load(std::memory_order_relaxed);
    frames = std::min(frames, SinkShared::kFrames - lead());
    while (frames > 0) {
        // Up to the end of the ring in one render call, the rest from its start.
        const std::size_t slot = at & kMask;
        const std::size_t n = std::min(frames, SinkShared::kFrames - slot);
        source.render(shared_->samples + slot * kChannels, n);
        at += n;
        frames -= n;
        shared_->written.store(at, std::memory_order_release);
    }
}

SinkShared* map_sink_channel(int fd) {
    if (::lseek(fd, 0, SEEK_END) < static_cast<off_t>(sizeof(SinkShared))) return nullptr;
    return static_cast<SinkShared*>(map(fd));
}

void SinkRingReader::render(float* out, std::size_t frames) noexcept {
    const std::uint64_t read = shared_.read.load(std::memory_order_relaxed);
    const std::uint64_t written = shared_.written.load(std::memory_order_acquire);
    const std::size_t ready = std::min<std::uint64_t>(written - read, frames);
    for (std::size_t f = 0; f < ready; ++f) {
        const std::size_t slot = ((read + f) & kMask) * kChannels;
        for (int c = 0; c < kChannels; ++c)
            out[f * kChannels + c] = shared_.samples[slot + c];
    }
    std::fill(out + ready * kChannels, out + frames * kChannels, 0.0f);
    shared_.read.store(read + ready, std::memory_order_release);
    // Silence before the first frame is the start, not an underrun.
    if (ready < frames && written > 0) shared_.underruns.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace haven::audio
