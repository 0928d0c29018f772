#include "jack_dummy_server.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "spawned_process.hpp"

namespace haven::test {
namespace {

namespace jack_shm {

constexpr const char* kDir = "/dev/shm";
constexpr const char* kTestPrefix = "haven-test-";

bool process_gone(long pid) {
    return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

// The test pid in "haven-test-<pid>"; 0 when `name` is not one of ours.
long owner_of(const std::string& name) {
    if (name.rfind(kTestPrefix, 0) != 0) return 0;
    return std::strtol(name.c_str() + std::strlen(kTestPrefix), nullptr, 10);
}

// Frees registry slots of haven test servers whose jackd is dead. Takes JACK's own registry
// lock (SysV semaphore 0x282929, as libjack's shm.c) for at most 2 s; without it, leaves the
// registry alone. The layout is jack2's jack_shm_header_t: six 32-bit words, then
// (hdr_len - 24) / 264 slots of {pid_t pid; char name[257]} ("jack-<uid>:<server>:").
void reclaim_dead_registrations() {
    const int fd = ::open((std::string(kDir) + "/jack-shm-registry").c_str(), O_RDWR);
    if (fd < 0) return;
    struct stat info {};
    if (::fstat(fd, &info) != 0 || info.st_size < 24) {
        ::close(fd);
        return;
    }
    void* mapped = ::mmap(nullptr, 24, PROT_READ, MAP_SHARED, fd, 0);
    std::uint32_t header[6]{};
    if (mapped != MAP_FAILED) {
        std::memcpy(header, mapped, sizeof header);
        ::munmap(mapped, 24);
    }
    constexpr std::uint32_t kMagic = 0x4A41434B;  // 'JACK'
    constexpr std::uint32_t kSlot = 264;
    const std::uint32_t hdr_len = header[4];
    if (header[0] != kMagic || hdr_len < 24 || (hdr_len - 24) % kSlot != 0 ||
        hdr_len > static_cast<std::uint64_t>(info.st_size)) {
        ::close(fd);
        return;
    }
    const int semid = ::semget(0x282929, 0, 0);
    sembuf take{.sem_num = 0, .sem_op = -1, .sem_flg = SEM_UNDO};
    timespec limit{.tv_sec = 2, .tv_nsec = 0};
    if (semid < 0 || ::semtimedop(semid, &take, 1, &limit) != 0) {
        ::close(fd);
        return;
    }
    auto* base =
        static_cast<char*>(::mmap(nullptr, hdr_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    if (base != MAP_FAILED) {
        const std::string ours = "jack-" + std::to_string(::getuid()) + ":" + kTestPrefix;
        for (std::uint32_t at = 24; at + kSlot <= hdr_len; at += kSlot) {
            std::int32_t pid = 0;
            std::memcpy(&pid, base + at, sizeof pid);
            const std::string name(base + at + 4, strnlen(base + at + 4, kSlot - 4));
            if (pid != 0 && name.rfind(ours, 0) == 0 && process_gone(pid))
                std::memset(base + at, 0, kSlot);
        }
        ::munmap(base, hdr_len);
    }
    sembuf give{.sem_num = 0, .sem_op = 1, .sem_flg = SEM_UNDO};
    ::semop(semid, &give, 1);
    ::close(fd);
}

// Socket and semaphore files of `server` ("jack_<server>_<uid>_0", "jack_sem.<uid>_<server>_*")
// and of haven test servers whose test process is gone.
void remove_stale_files(const std::string& server) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(kDir, ec)) {
        const std::string file = entry.path().filename().string();
        std::string name;
        if (file.rfind("jack_sem.", 0) == 0) {
            const auto start = file.find('_', 9);  // after "jack_sem.<uid>"
            if (start == std::string::npos) continue;
            name = file.substr(start + 1);
        } else if (file.rfind("jack_", 0) == 0) {
            name = file.substr(5);
        } else {
            continue;
        }
        const bool own = name.rfind(server + "_", 0) == 0;
        const long owner = owner_of(name);
        if (own || (owner > 0 && process_gone(owner))) std::filesystem::remove(entry.path(), ec);
    }
}

}  // namespace jack_shm

}  // namespace

JackDummyServer::JackDummyServer(bool start_now)
    : name_(std::string(jack_shm::kTestPrefix) + std::to_string(::getpid())) {
    ::setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
    ::setenv("JACK_NO_START_SERVER", "1", 1);  // never let a client spawn a default server
    ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
    if (start_now) start();
}

JackDummyServer::~JackDummyServer() {
    stop();
}

bool JackDummyServer::start(int sample_rate) {
    if (jackd_) return ready_;
    clean_up_after_dead_servers();
    try {
        jackd_ = std::make_unique<SpawnedProcess>(std::vector<std::string>{
            "jackd", "-n", name_, "-d", "dummy", "-r", std::to_string(sample_rate), "-p", "1024"});
    } catch (const std::exception&) {
        return ready_ = false;
    }
    // jack_wait blocks until the server answers (or 10 s pass).
    SpawnedProcess wait({"jack_wait", "-s", name_, "-w", "-t", "10"});
    ready_ = wait.wait_exit() == 0;
    return ready_;
}

void JackDummyServer::signal(int signal) const {
    if (jackd_) jackd_->signal(signal);
}

void JackDummyServer::stop(int signal) {
    if (!jackd_) return;
    jackd_->signal(signal);
    jackd_->signal(SIGCONT);  // a frozen server must run to act on SIGTERM
    jackd_->wait_exit();
    jackd_.reset();
    ready_ = false;
    clean_up_after_dead_servers();  // a killed server could not remove its own
}

void JackDummyServer::clean_up_after_dead_servers() const {
    jack_shm::reclaim_dead_registrations();
    jack_shm::remove_stale_files(name_);
}

}  // namespace haven::test
