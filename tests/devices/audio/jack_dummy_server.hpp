#pragma once
// Starts a private jackd on the dummy backend (48 kHz, 1024 frames, real-time paced) under a
// unique server name, and points this process's JACK clients (PortAudio) at it.
// Stopped by its own pid, never by name, so parallel test runs do not disturb each other.
// stop() then start() restarts it under the same name: a sound server restarted mid-session.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace haven::audio::testing {

class JackDummyServer {
  public:
    // `start_now` false: the server is named and the environment set, but it is not running
    // (a device missing when Haven starts).
    explicit JackDummyServer(bool start_now = true)
        : name_("haven-test-" + std::to_string(::getpid())) {
        ::setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
        ::setenv("JACK_NO_START_SERVER", "1", 1);  // never let a client spawn a default server
        ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
        if (start_now) start();
    }
    ~JackDummyServer() { stop(); }
    JackDummyServer(const JackDummyServer&) = delete;
    JackDummyServer& operator=(const JackDummyServer&) = delete;

    // Starts jackd (if not running) and waits until it answers; false if it did not.
    bool start(int sample_rate = 48000) {
        if (pid_ > 0) return ready_;
        std::vector<std::string> args{
            "jackd", "-n", name_, "-d", "dummy", "-r", std::to_string(sample_rate), "-p", "1024"};
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
        if (posix_spawnp(&pid_, "jackd", &actions, nullptr, argv.data(), environ) != 0) pid_ = -1;
        posix_spawn_file_actions_destroy(&actions);
        // jack_wait blocks until the server answers (or 10 s pass).
        const std::string wait = "jack_wait -s " + name_ + " -w -t 10 >/dev/null 2>&1";
        ready_ = pid_ > 0 && std::system(wait.c_str()) == 0;
        return ready_;
    }

    bool ready() const { return ready_; }
    const std::string& name() const { return name_; }

    // Sends `signal` to the server without waiting: SIGSTOP freezes it, SIGCONT thaws it.
    void signal(int signal) const {
        if (pid_ > 0) ::kill(pid_, signal);
    }

    // SIGTERM is a server shut down; SIGKILL a server that crashed.
    void stop(int signal = SIGTERM) {
        if (pid_ <= 0) return;
        ::kill(pid_, signal);
        ::kill(pid_, SIGCONT);  // a frozen server must run to act on SIGTERM
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
        ready_ = false;
    }

  private:
    std::string name_;
    pid_t pid_ = -1;
    bool ready_ = false;
};

}  // namespace haven::audio::testing
