#include "daemon_process.hpp"

#include <fstream>
#include <stdexcept>

#include "run_command.hpp"

namespace haven::test {
namespace {

std::vector<std::string> command_line(const std::filesystem::path& binary,
                                      std::vector<std::string> args) {
    args.insert(args.begin(), binary.string());
    return args;
}

}  // namespace

DaemonProcess::DaemonProcess(const std::filesystem::path& binary, std::vector<std::string> args,
                             std::filesystem::path log_file, std::vector<std::string> extra_env)
    : process_(command_line(binary, std::move(args)),
               {.extra_env = std::move(extra_env), .log_file = std::move(log_file)}) {}

DaemonProcess::~DaemonProcess() = default;  // the SpawnedProcess kills and reaps it

long DaemonProcess::rss_kib() const {
    std::ifstream status{"/proc/" + std::to_string(pid()) + "/status"};
    std::string line;
    while (std::getline(status, line)) {
        if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
    }
    return 0;
}

std::string run_to_completion(const std::filesystem::path& binary,
                              const std::vector<std::string>& args) {
    auto result = run_command(command_line(binary, args));
    if (result.exit_code != 0)
        throw std::runtime_error(binary.string() + " failed (exit " +
                                 std::to_string(result.exit_code) + "): " + result.out +
                                 result.err);
    return result.out;
}

}  // namespace haven::test
