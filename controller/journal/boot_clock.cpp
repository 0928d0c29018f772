#include "boot_clock.hpp"

#include <time.h>

#include <fstream>

namespace haven::journal {
namespace {

std::string read_boot_id() {
    std::ifstream file("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(file, id);
    return id;
}

}  // namespace

BootStamp boot_stamp_now() {
    static const std::string boot_id = read_boot_id();  // fixed for the life of the process
    timespec now{};
    ::clock_gettime(CLOCK_BOOTTIME, &now);
    return BootStamp{.boot_id = boot_id,
                     .ms = static_cast<std::int64_t>(now.tv_sec) * 1000 + now.tv_nsec / 1'000'000};
}

Elapsed elapsed_since(const Entry& then, const BootStamp& boot_now, WallTime wall_now) {
    using std::chrono::milliseconds;
    if (then.boot && !then.boot->boot_id.empty() && then.boot->boot_id == boot_now.boot_id) {
        return Elapsed{
            .length = milliseconds{std::max<std::int64_t>(boot_now.ms - then.boot->ms, 0)},
            .by_boot_clock = true};
    }
    const auto wall = std::chrono::duration_cast<milliseconds>(wall_now - then.wall);
    return Elapsed{.length = std::max(wall, milliseconds{0}),
                   .wall_clock_behind = wall < milliseconds{0}};
}

}  // namespace haven::journal
