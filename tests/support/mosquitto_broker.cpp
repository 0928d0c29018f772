#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace haven::test {

namespace fs = std::filesystem;

namespace {

const char* const mosquitto_binary = "/usr/sbin/mosquitto";

void run_or_throw(const std::string& command) {
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error("test broker setup failed: " + command);
}

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool accepts_connection(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    auto address = loopback(port);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return ok;
}

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "haven-mosquitto-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

}  // namespace

int free_loopback_port() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback(0);
    socklen_t length = sizeof address;
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
        if (fd >= 0) ::close(fd);
        throw std::runtime_error("no free loopback port");
    }
    ::close(fd);
    return ntohs(address.sin_port);
}

MosquittoBroker::MosquittoBroker(Mode mode)
    : mode_(mode), dir_(make_temp_dir()), port_(free_loopback_port()) {
    try {
        if (mode_ == Mode::password) make_password_file();
        if (mode_ == Mode::tls) make_certificates();
        write_config();
        start();
    } catch (...) {
        std::error_code ignored;  // no destructor runs for a failed constructor
        fs::remove_all(dir_, ignored);
        throw;
    }
}

MosquittoBroker::~MosquittoBroker() {
    kill();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
}

void MosquittoBroker::make_password_file() {
    run_or_throw("mosquitto_passwd -b -c '" + (dir_ / "passwd").string() + "' " + username() + " " +
                 password() + " >/dev/null 2>&1");
    std::ofstream(password_file()) << password() << "\n";
}

void MosquittoBroker::make_certificates() {
    // EC keys: quick to generate, so every test run gets fresh certificates.
    const std::string d = "'" + dir_.string() + "'";
    const std::string quiet = " >/dev/null 2>&1";
    const std::string key = "openssl ecparam -name prime256v1 -genkey -noout -out ";
    run_or_throw(key + d + "/ca.key" + quiet);
    run_or_throw("openssl req -x509 -new -key " + d +
                 "/ca.key -subj /CN=haven-test-ca -days 2 -out " + d + "/ca.crt" + quiet);
    for (const std::string name : {"server", "client"}) {
        run_or_throw(key + d + "/" + name + ".key" + quiet);
        run_or_throw("openssl req -new -key " + d + "/" + name + ".key -subj /CN=" + name +
                     " -out " + d + "/" + name + ".csr" + quiet);
        std::ofstream(dir_ / (name + ".ext"))
            << (name == "server" ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 : "extendedKeyUsage=clientAuth\n");
        run_or_throw("openssl x509 -req -in " + d + "/" + name + ".csr -CA " + d +
                     "/ca.crt -CAkey " + d + "/ca.key -CAcreateserial -days 2 -extfile " + d + "/" +
                     name + ".ext -out " + d + "/" + name + ".crt" + quiet);
    }
}

void MosquittoBroker::write_config() {
    std::ofstream config(dir_ / "mosquitto.conf");
    // Started as root, mosquitto would switch to the `mosquitto` user, which cannot read
    // this private temp dir: stay whoever runs the tests.
    const passwd* me = ::getpwuid(::geteuid());
    config << "user " << (me != nullptr ? me->pw_name : "root") << "\n"
           << "per_listener_settings false\n"
           << "persistence true\n"
           << "persistence_location " << dir_.string() << "/\n"
           << "log_dest stderr\n"
           << "log_type all\n"
           << "listener " << port_ << " 127.0.0.1\n";
    switch (mode_) {
        case Mode::plain:
            config << "allow_anonymous true\n";
            break;
        case Mode::password:
            config << "allow_anonymous false\n"
                   << "password_file " << (dir_ / "passwd").string() << "\n";
            break;
        case Mode::tls:
            config << "allow_anonymous true\n"
                   << "cafile " << ca_file().string() << "\n"
                   << "certfile " << (dir_ / "server.crt").string() << "\n"
                   << "keyfile " << (dir_ / "server.key").string() << "\n"
                   << "require_certificate true\n";
            break;
    }
}

void MosquittoBroker::start() {
    if (running()) return;
    const std::string config = (dir_ / "mosquitto.conf").string();
    const std::string log = log_file().string();
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    std::vector<char*> argv{const_cast<char*>(mosquitto_binary), const_cast<char*>("-c"),
                            const_cast<char*>(config.c_str()), nullptr};
    const int rc = posix_spawn(&pid_, mosquitto_binary, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error(std::string("cannot start ") + mosquitto_binary);
    }
    if (!wait_until_accepting(std::chrono::seconds(10))) {
        kill();
        throw std::runtime_error("mosquitto did not accept connections on port " +
                                 std::to_string(port_) + "; see " + log);
    }
}

bool MosquittoBroker::wait_until_accepting(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {  // it exited: bad config or port taken
            pid_ = -1;
            return false;
        }
        if (accepts_connection(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void MosquittoBroker::stop() {
    if (!running()) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

void MosquittoBroker::kill() {
    if (!running()) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

}  // namespace haven::test
