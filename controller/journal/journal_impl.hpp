#pragma once
// Journal's insides, shared by journal.cpp (opening, appending, the writer thread) and
// journal_reads.cpp (the blocking reads: sessions, entries, pruning). Private to
// haven_journal.

#include <boost/asio/any_io_executor.hpp>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "journal.hpp"
#include "journal_store.hpp"
#include "sqlite_db.hpp"

namespace haven::journal {

struct Pending {
    Entry entry;
    std::function<void(bool ok)> on_durable;
};

struct Journal::Impl {
    std::filesystem::path file;
    boost::asio::any_io_executor control;
    std::vector<std::string> notes;

    std::mutex db_mutex;  // guards db and statements: the writer thread and the reads share it
    std::unique_ptr<SqliteDb> db;
    std::unique_ptr<store::Writer> statements;  // declared after db: finalized before it closes

    std::mutex queue_mutex;  // guards everything below
    std::condition_variable queue_changed;
    std::condition_variable batch_done;
    std::deque<Pending> queue;
    std::uint64_t appended = 0;
    std::uint64_t finished = 0;
    bool stopping = false;
    HealthListener health_listener;
    std::thread writer;

    // The writer thread's own: entries whose write failed, oldest first.
    std::vector<Entry> held;
    std::size_t lost = 0;
    bool failing = false;

    void run();
    bool write_batch(const std::vector<Pending>& batch, std::string& error);
    void hold(std::vector<Pending>& batch);
    void report_health(std::optional<std::string> problem);
};

}  // namespace haven::journal
