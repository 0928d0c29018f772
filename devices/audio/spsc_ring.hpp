#pragma once
// Lock-free single-producer/single-consumer ring buffer of trivially copyable items.
// The producer (decoder thread) only calls write/writable; the consumer (audio callback)
// only calls read/readable/skip_to. Positions are monotonic 64-bit counters, so they never
// wrap in practice and "the item at position N" has one meaning for both sides.
// All operations are noexcept, wait-free and allocation-free after construction.

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

namespace haven::audio {

template <typename T>
class SpscRing {
    static_assert(std::is_trivially_copyable_v<T>);

  public:
    // Capacity is rounded up to a power of two so positions map to slots with a mask.
    explicit SpscRing(std::size_t min_capacity)
        : capacity_(std::bit_ceil(std::max<std::size_t>(min_capacity, 2))),
          mask_(capacity_ - 1),
          slots_(std::make_unique<T[]>(capacity_)) {}

    std::size_t capacity() const noexcept { return capacity_; }

    // Producer side.
    std::size_t writable() const noexcept {
        return capacity_ -
               (write_.load(std::memory_order_relaxed) - read_.load(std::memory_order_acquire));
    }
    std::size_t write(const T* items, std::size_t count) noexcept {
        const std::uint64_t w = write_.load(std::memory_order_relaxed);
        count = std::min(count, writable());
        copy_in(w, items, count);
        write_.store(w + count, std::memory_order_release);
        return count;
    }
    // Total items ever written: a position the consumer can later skip to.
    std::uint64_t write_position() const noexcept { return write_.load(std::memory_order_relaxed); }

    // Consumer side.
    std::size_t readable() const noexcept {
        return write_.load(std::memory_order_acquire) - read_.load(std::memory_order_relaxed);
    }
    std::size_t read(T* items, std::size_t count) noexcept {
        const std::uint64_t r = read_.load(std::memory_order_relaxed);
        count = std::min(count, readable());
        copy_out(r, items, count);
        read_.store(r + count, std::memory_order_release);
        return count;
    }
    // Discards everything before `position` (clamped to what has been written).
    void skip_to(std::uint64_t position) noexcept {
        const std::uint64_t r = read_.load(std::memory_order_relaxed);
        const std::uint64_t w = write_.load(std::memory_order_acquire);
        const std::uint64_t target = std::clamp(position, r, w);
        read_.store(target, std::memory_order_release);
    }
    std::uint64_t read_position() const noexcept { return read_.load(std::memory_order_relaxed); }

  private:
    void copy_in(std::uint64_t pos, const T* items, std::size_t count) noexcept {
        const std::size_t start = pos & mask_;
        const std::size_t first = std::min(count, capacity_ - start);
        std::copy_n(items, first, slots_.get() + start);
        std::copy_n(items + first, count - first, slots_.get());
    }
    void copy_out(std::uint64_t pos, T* items, std::size_t count) const noexcept {
        const std::size_t start = pos & mask_;
        const std::size_t first = std::min(count, capacity_ - start);
        std::copy_n(slots_.get() + start, first, items);
        std::copy_n(slots_.get(), count - first, items + first);
    }

    const std::size_t capacity_;
    const std::size_t mask_;
    std::unique_ptr<T[]> slots_;
    // Separate cache lines: the two threads each write one counter.
    alignas(64) std::atomic<std::uint64_t> write_{0};
    alignas(64) std::atomic<std::uint64_t> read_{0};
};

}  // namespace haven::audio
