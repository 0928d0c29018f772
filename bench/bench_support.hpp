#pragma once
// Figures for the benchmarks: latency summaries and the CPU/memory a process has used.

#include <sys/types.h>

#include <chrono>
#include <map>
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

// CPU time a process's live threads have used: /proc/<pid>/task/*/schedstat (ns), falling back
// to user + system from /proc/<pid>/stat (10 ms ticks) where the kernel has no schedstat.
double process_cpu_seconds(pid_t pid);
double process_stat_cpu_seconds(pid_t pid);
// The same per thread name (/proc/<pid>/task/*/comm): Haven names its threads (haven-journal,
// haven-decoder...), so a figure can tell the control loop's CPU from the journal writer's.
std::map<std::string, double> thread_cpu_seconds(pid_t pid);
// Peak resident set (VmHWM) and current resident set (VmRSS) in kB, from /proc/<pid>/status.
long process_peak_rss_kb(pid_t pid);
long process_rss_kb(pid_t pid);
// The resident set split as /proc/<pid>/status gives it: "anon 12.3 MB, file 4.5 MB, shmem 1.0 MB"
// (JACK's shared-memory segments count as shmem).
std::string process_rss_breakdown(pid_t pid);
long process_threads(pid_t pid);

double micros_between(Clock::time_point from, Clock::time_point to);

}  // namespace haven::bench
