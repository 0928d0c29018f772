// The state directory turns read-only mid-session, as when ext4 hits an error and remounts
// itself read-only (errors=remount-ro): the daemon keeps its journal open, but no write to it,
// and no new file beside it, succeeds. A read-only bind remount is refused (EBUSY) while the
// daemon holds the journal open for writing, so this drill sets the immutable flag
// (chattr +i) on every file in the state directory and on the directory: write() on the
// already open descriptors then fails with EPERM, even for root. The room must keep running, raise
// the journal alarm, lose nothing once writes work again, and leave an intact journal.
// Needs root (CAP_LINUX_IMMUTABLE) and a filesystem with the flag; skipped otherwise.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

#include "journal_outage_checks.hpp"
#include "room_under_test.hpp"
#include "test_mqtt_client.hpp"

namespace haven::test {
namespace {

namespace fs = std::filesystem;

// chattr +i / -i through the ioctl, so no e2fsprogs is needed. Empty on success, otherwise
// why it failed.
std::string set_immutable(const fs::path& path, bool immutable) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return "open " + path.string() + ": " + std::strerror(errno);
    int flags = 0;  // the kernel reads and writes an int, whatever the header's type says
    std::string problem;
    if (::ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0) {
        problem = "FS_IOC_GETFLAGS " + path.string() + ": " + std::strerror(errno);
    } else {
        flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
        if (::ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
            problem = "FS_IOC_SETFLAGS " + path.string() + ": " + std::strerror(errno);
    }
    ::close(fd);
    return problem;
}

// Why the immutable flag cannot stand in for a read-only disk in `dir` (not root, a
// filesystem without the flag, or one such as tmpfs that still lets descriptors opened
// before it was set write), or empty when it can: tried on a scratch file before the daemon
// starts.
std::string immutable_unavailable(const fs::path& dir) {
    const auto probe = dir / "immutable-probe";
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return "cannot create " + probe.string() + ": " + std::strerror(errno);
    auto problem = set_immutable(probe, true);
    if (problem.empty()) {
        if (::write(fd, "x", 1) == 1)
            problem = "a descriptor opened before chattr +i can still write";
        problem += set_immutable(probe, false);
    }
    ::close(fd);
    std::error_code ignored;
    fs::remove(probe, ignored);
    if (problem.empty()) return "";
    struct statfs info {};
    std::ostringstream reason;
    reason << "the immutable flag cannot make " << dir.string() << " read-only (" << problem;
    if (::statfs(dir.c_str(), &info) == 0)
        reason << "; filesystem magic 0x" << std::hex << info.f_type;
    reason << "); needs root and e.g. ext4";
    return reason.str();
}

// Makes a directory and every file in it immutable; always undoes it on destruction, so a
// failing test never leaves files behind in /tmp that nobody can delete.
class ReadOnlyDirectory {
  public:
    explicit ReadOnlyDirectory(fs::path dir) : dir_(std::move(dir)) {}
    ~ReadOnlyDirectory() { release(); }
    ReadOnlyDirectory(const ReadOnlyDirectory&) = delete;
    ReadOnlyDirectory& operator=(const ReadOnlyDirectory&) = delete;

    // The files first: once the directory is immutable nothing new appears in it.
    std::string lock() {
        std::vector<fs::path> targets;
        for (const auto& entry : fs::directory_iterator(dir_))
            if (entry.is_regular_file()) targets.push_back(entry.path());
        targets.push_back(dir_);
        for (const auto& target : targets) {
            auto problem = set_immutable(target, true);
            if (!problem.empty()) return problem;
            locked_.push_back(target);
        }
        return "";
    }

    // Everything that was locked, the directory first; the failures, joined (empty: none).
    std::string release() {
        std::string problems;
        for (auto it = locked_.rbegin(); it != locked_.rend(); ++it) {
            auto problem = set_immutable(*it, false);
            if (!problem.empty()) problems += problem + "\n";
        }
        locked_.clear();
        return problems;
    }

    const std::vector<fs::path>& locked() const { return locked_; }

  private:
    fs::path dir_;
    std::vector<fs::path> locked_;
};

std::string exit_of(DaemonProcess& daemon) {
    auto code = daemon.wait_exit(std::chrono::milliseconds{0});
    return code ? "exit code " + std::to_string(*code) + " (128 + N: signal N)" : "running";
}

TEST(DaemonReadOnly, TheRoomKeepsRunningRaisesAnAlarmAndLosesNothing) {
    RoomUnderTest room(60.0);
    if (auto reason = immutable_unavailable(room.state_dir()); !reason.empty())
        GTEST_SKIP() << reason;
    room.start_daemon();
    const auto id = room.start_session();
    ASSERT_TRUE(room.wait_state(no_alarms)) << "a healthy room must show an empty alarm list";
    TestMqttClient lights(room.broker());
    lights.subscribe("zigbee2mqtt/cedar/ceiling/set");

    // Declared after the room, so destroyed (flags cleared) before it removes its directory.
    // SQLite's usual WAL index is a memory-mapped journal.sqlite3-shm; a store to that mapping
    // on a read-only disk is a SIGBUS that kills the room (this drill found it). The journal
    // keeps its WAL index in memory instead (locking_mode=EXCLUSIVE): there is no -shm.
    EXPECT_FALSE(fs::exists(room.state_dir() / "journal.sqlite3-shm"));
    ReadOnlyDirectory read_only(room.state_dir());
    ASSERT_EQ(read_only.lock(), "");
    ASSERT_GE(read_only.locked().size(), 2u) << "the journal file was not there to lock";

    auto reply = room.panel_post("/api/command/infusion_start");
    EXPECT_NE(reply.status, 200) << "a command whose record is not on disk must not be acked";
    EXPECT_NE(reply.body.find("done in the room"), std::string::npos) << reply.body;
    ASSERT_TRUE(room.wait_state(journal_alarm)) << exit_of(room.daemon()) << "\n"
                                                << room.daemon_log();

    // The room still reacts while nothing can be written: assist reaches the lights.
    room.command("assist");
    EXPECT_TRUE(lights.wait_for("zigbee2mqtt/cedar/ceiling/set"))
        << "assist did not reach the lights with the state directory read-only\n"
        << room.daemon_log();
    ASSERT_TRUE(room.wait_state([](const Json& s) { return s["session"].value("assist", false); }));
    // A few failed retries (250 ms, 500 ms, 1 s) go by with the files still locked: the
    // alarm stays and the daemon survives them.
    EXPECT_FALSE(room.wait_state(no_alarms, std::chrono::milliseconds{2000}))
        << "the alarm cleared while the directory was still read-only";
    ASSERT_TRUE(room.daemon().running()) << exit_of(room.daemon()) << "\n" << room.daemon_log();

    ASSERT_EQ(read_only.release(), "");
    ASSERT_TRUE(room.wait_state(no_alarms, std::chrono::milliseconds{15000}))
        << "the alarm did not clear after the directory became writable\n"
        << room.daemon_log();

    // Everything from the outage is in the journal, and the journal is intact.
    room.daemon().signal(SIGTERM);
    ASSERT_EQ(room.daemon().wait_exit(std::chrono::milliseconds{10000}), 0) << room.daemon_log();
    expect_outage_recorded_and_session_resumes(room, id);
}

}  // namespace
}  // namespace haven::test
