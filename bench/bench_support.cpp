#include "bench_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace haven::bench {

namespace {

double percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    // Nearest-rank: the smallest sample with at least p of the samples at or below it.
    auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

long status_field_kb(pid_t pid, const std::string& field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    }
    return -1;
}

}  // namespace

Summary summarize(std::vector<double> samples) {
    Summary s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    s.count = samples.size();
    s.min = samples.front();
    s.p50 = percentile(samples, 0.50);
    s.p90 = percentile(samples, 0.90);
    s.p99 = percentile(samples, 0.99);
    s.max = samples.back();
    return s;
}

std::string format_summary(const std::string& label, const Summary& s, double scale,
                           const char* unit) {
    char line[256];
    std::snprintf(line, sizeof line,
                  "%-34s n=%-5zu min=%8.1f p50=%8.1f p90=%8.1f p99=%8.1f max=%8.1f %s",
                  label.c_str(), s.count, s.min * scale, s.p50 * scale, s.p90 * scale,
                  s.p99 * scale, s.max * scale, unit);
    return line;
}

double process_cpu_seconds(pid_t pid) {
    // Nanoseconds on a CPU per thread (schedstat) when the kernel keeps them: /proc/<pid>/stat
    // counts whole 10 ms ticks, too coarse for a floor that spends ~20 us per reaction.
    double ns = 0;
    bool any = false;
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream stat(task.path() / "schedstat");
        double on_cpu = 0;
        if (stat >> on_cpu) {
            ns += on_cpu;
            any = true;
        }
    }
    if (any) return ns * 1e-9;
    return process_stat_cpu_seconds(pid);
}

std::map<std::string, double> thread_cpu_seconds(pid_t pid) {
    std::map<std::string, double> by_name;
    std::error_code ec;
    for (const auto& task :
         std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
        std::ifstream comm(task.path() / "comm");
        std::ifstream stat(task.path() / "schedstat");
        std::string name;
        double on_cpu = 0;
        if (std::getline(comm, name) && stat >> on_cpu) by_name[name] += on_cpu * 1e-9;
    }
    return by_name;
}

double process_stat_cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    auto close = text.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    unsigned long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoull(field);
        if (i == 15) stime = std::stoull(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long process_peak_rss_kb(pid_t pid) {
    return status_field_kb(pid, "VmHWM");
}
long process_rss_kb(pid_t pid) {
    return status_field_kb(pid, "VmRSS");
}

std::string process_rss_breakdown(pid_t pid) {
    // Pss shares each shared page among the processes mapping it (JACK's segments with jackd).
    long pss_kb = -1;
    std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
    std::string line;
    while (std::getline(rollup, line))
        if (line.rfind("Pss:", 0) == 0) pss_kb = std::stol(line.substr(4));
    char text[160];
    std::snprintf(text, sizeof text, "anon %.1f MB, file %.1f MB, shmem %.1f MB; Pss %.1f MB",
                  status_field_kb(pid, "RssAnon") / 1024.0,
                  status_field_kb(pid, "RssFile") / 1024.0,
                  status_field_kb(pid, "RssShmem") / 1024.0, pss_kb / 1024.0);
    return text;
}

long process_threads(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("Threads:", 0) == 0) return std::stol(line.substr(8));
    return -1;
}

double micros_between(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::micro>(to - from).count();
}

}  // namespace haven::bench
