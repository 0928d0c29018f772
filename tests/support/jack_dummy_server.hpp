#pragma once
// Starts a private jackd on the dummy backend (48 kHz, 1024 frames, real-time paced) under a
// unique server name, and points this process's JACK clients (PortAudio) at it.
// Stopped by its own pid, never by name, so parallel test runs do not disturb each other.
// stop() then start() restarts it under the same name: a sound server restarted mid-session.
//
// A killed jackd leaves its registration in /dev/shm/jack-shm-registry (8 slots, shared by
// every server on the machine) and its socket and semaphore files in /dev/shm. jackd only
// reclaims a dead registration of its *own* name, and ours are unique per test process, so
// a few killed servers made every later jackd refuse ("Too many servers already active").
// Before each start and after each stop, this fixture clears the registrations and files of
// haven test servers whose jackd (or owning test) is gone. Servers of other owners are
// never touched.
//
// jackd is a SpawnedProcess: a test that fails or throws still leaves no jackd behind.

#include <csignal>
#include <memory>
#include <string>

namespace haven::test {

class SpawnedProcess;

class JackDummyServer {
  public:
    // `start_now` false: the server is named and the environment set, but it is not running
    // (a device missing when Haven starts).
    explicit JackDummyServer(bool start_now = true);
    ~JackDummyServer();
    JackDummyServer(const JackDummyServer&) = delete;
    JackDummyServer& operator=(const JackDummyServer&) = delete;

    // Starts jackd (if not running) and waits until it answers; false if it did not.
    bool start(int sample_rate = 48000);

    bool ready() const { return ready_; }
    const std::string& name() const { return name_; }

    // Sends `signal` to the server without waiting: SIGSTOP freezes it, SIGCONT thaws it.
    void signal(int signal) const;

    // SIGTERM is a server shut down; SIGKILL a server that crashed.
    void stop(int signal = SIGTERM);

  private:
    void clean_up_after_dead_servers() const;

    std::string name_;
    std::unique_ptr<SpawnedProcess> jackd_;
    bool ready_ = false;
};

}  // namespace haven::test
