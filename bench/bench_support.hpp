#pragma once
// Figures for the benchmarks: latency summaries and the CPU/memory a process has used.

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace haven::bench {

using Clock = std::chrono::steady_clock;

// min/p50/p90/p99/max of a set of samples in microseconds.
struct Summary {
    std::size_t count = 0;
    double min = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
};
Summary summarize(std::vector<double> samples_us);

// "n=2000 min=81us p50=120us ..." with a label, one line.
std::string format_summary(const std::string& label, const Summary& s, double scale = 1.0,
                           const char* unit = "us");

// User + system CPU time a process has used, from /proc/<pid>/stat.
double process_cpu_seconds(pid_t pid);
// Peak resident set (VmHWM) and current resident set (VmRSS) in kB, from /proc/<pid>/status.
long process_peak_rss_kb(pid_t pid);
long process_rss_kb(pid_t pid);

double micros_between(Clock::time_point from, Clock::time_point to);

}  // namespace haven::bench
