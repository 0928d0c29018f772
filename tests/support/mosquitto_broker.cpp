#include "mosquitto_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace haven::test {

namespace fs = std::filesystem;

namespace {

const char* const mosquitto_binary = "/usr/sbin/mosquitto";

// A setup command (openssl, mosquitto_passwd), its output into the broker's dir: nothing on
// the test's terminal, and there to read when a step fails.
void run_or_throw(std::vector<std::string> argv, const fs::path& log) {
    const std::string command = argv.front();
    SpawnedProcess step(std::move(argv), {.log_file = log});
    const auto code = step.wait_exit(std::chrono::seconds(60));
    if (code != 0)
        throw std::runtime_error("test broker setup failed: " + command + "; see " + log.string());
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
    : mode_(mode), dir_("mosquitto"), port_(free_loopback_port()) {
    // Should this throw, the members' destructors still kill the broker and remove dir_.
    if (mode_ == Mode::password) make_password_file();
    if (mode_ == Mode::tls) make_certificates();
    write_config();
    start();
}

MosquittoBroker::~MosquittoBroker() {
    kill();
}

void MosquittoBroker::make_password_file() {
    run_or_throw(
        {"mosquitto_passwd", "-b", "-c", (dir_ / "passwd").string(), username(), password()},
        dir_ / "setup.log");
    std::ofstream(password_file()) << password() << "\n";
}

void MosquittoBroker::make_certificates() {
    // EC keys: quick to generate, so every test run gets fresh certificates.
    const auto in_dir = [this](const std::string& name) { return (dir_ / name).string(); };
    const auto openssl = [&](std::vector<std::string> args) {
        args.insert(args.begin(), "openssl");
        run_or_throw(std::move(args), dir_ / "setup.log");
    };
    const auto new_key = [&](const std::string& name) {
        openssl(
            {"ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", in_dir(name + ".key")});
    };
    new_key("ca");
    openssl({"req", "-x509", "-new", "-key", in_dir("ca.key"), "-subj", "/CN=haven-test-ca",
             "-days", "2", "-out", in_dir("ca.crt")});
    for (const std::string name : {"server", "client"}) {
        new_key(name);
        openssl({"req", "-new", "-key", in_dir(name + ".key"), "-subj", "/CN=" + name, "-out",
                 in_dir(name + ".csr")});
        std::ofstream(dir_ / (name + ".ext"))
            << (name == "server" ? "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 : "extendedKeyUsage=clientAuth\n");
        openssl({"x509", "-req", "-in", in_dir(name + ".csr"), "-CA", in_dir("ca.crt"), "-CAkey",
                 in_dir("ca.key"), "-CAcreateserial", "-days", "2", "-extfile",
                 in_dir(name + ".ext"), "-out", in_dir(name + ".crt")});
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
           << "persistence_location " << dir_.path().string() << "/\n"
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
    process_.emplace(
        std::vector<std::string>{mosquitto_binary, "-c", (dir_ / "mosquitto.conf").string()},
        SpawnOptions{.log_file = log_file()});
    if (!wait_until_accepting(std::chrono::seconds(10))) {
        kill();
        throw std::runtime_error("mosquitto did not accept connections on port " +
                                 std::to_string(port_) + "; see " + log_file().string());
    }
}

bool MosquittoBroker::wait_until_accepting(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running()) {  // it exited: bad config or port taken
            process_.reset();
            return false;
        }
        if (accepts_connection(port_)) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

void MosquittoBroker::stop() {
    if (!running()) return;
    process_->signal(SIGTERM);
    process_->wait_exit();
    process_.reset();
}

void MosquittoBroker::kill() {
    process_.reset();  // SIGKILLs and reaps it
}

}  // namespace haven::test
