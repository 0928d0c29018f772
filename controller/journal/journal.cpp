#include "journal.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include "boot_clock.hpp"
#include "journal_impl.hpp"
#include "journal_recovery.hpp"

namespace haven::journal {
namespace fs = std::filesystem;
namespace {

std::unique_ptr<SqliteDb> open_durable(const fs::path& file) {
    auto db = std::make_unique<SqliteDb>(file, SqliteDb::Mode::read_write_create);
    // WAL + synchronous=FULL: each COMMIT fsyncs the WAL, so a committed row survives a
    // power cut. locking_mode=EXCLUSIVE, set before WAL is entered, keeps the WAL index in
    // this process's heap instead of a memory-mapped journal.sqlite3-shm: a store to that
    // mapping on a disk gone read-only is a SIGBUS that kills the room (the read-only drill
    // found it), where a failed write() is an error the writer holds and retries. The price:
    // no other process can read the journal while the daemon runs (reports come from the
    // panel then), and a second daemon on the same state directory is refused.
    // Entering WAL takes the lock, so a second daemon fails here, at start-up.
    db->exec("PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
    store::create_schema(*db);
    return db;
}

// Makes a rename or a newly created file in `dir` survive a power cut.
void sync_directory(const fs::path& dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

// A failed write is retried on a backoff, with whatever arrived meanwhile, in one
// transaction: the rows keep their order and nothing acknowledged as failed is dropped.
void Journal::Impl::run() {
    using namespace std::chrono_literals;
    auto retry_after = 250ms;
    for (;;) {
        std::vector<Pending> batch;
        bool last_try = false;
        {
            std::unique_lock lock(queue_mutex);
            if (held.empty())
                queue_changed.wait(lock, [&] { return stopping || !queue.empty(); });
            else
                queue_changed.wait_for(lock, retry_after, [&] { return stopping; });
            if (queue.empty() && held.empty()) return;  // stopping, and everything is written
            last_try = stopping;
            while (!queue.empty()) {
                batch.push_back(std::move(queue.front()));
                queue.pop_front();
            }
        }
        std::string error;
        bool ok = write_batch(batch, error);
        if (ok) {
            held.clear();
            retry_after = 250ms;
            if (failing) {
                failing = false;
                spdlog::info("journal: writing to {} works again; everything held is written",
                             file.string());
                report_health(std::nullopt);
            }
        } else {
            hold(batch);
            retry_after = std::min<std::chrono::milliseconds>(retry_after * 2, 5s);
            if (!failing) {
                failing = true;
                report_health("the session journal cannot be written (" + error +
                              "); entries are held in memory until it can");
            }
        }
        for (auto& pending : batch) {
            if (pending.on_durable) {
                boost::asio::post(control, [cb = std::move(pending.on_durable), ok] { cb(ok); });
            }
        }
        {
            std::lock_guard lock(queue_mutex);
            finished += batch.size();
            batch_done.notify_all();
        }
        if (!ok && last_try) {
            spdlog::critical("journal: stopping with {} entries that could not be written to {}",
                             held.size(), file.string());
            return;
        }
    }
}

void Journal::Impl::hold(std::vector<Pending>& batch) {
    for (auto& pending : batch) {
        if (held.size() < max_held) {
            held.push_back(std::move(pending.entry));
        } else if (lost++ == 0) {
            spdlog::critical("journal: more than {} entries wait for the disk; dropping newer ones",
                             max_held);
        }
    }
}

void Journal::Impl::report_health(std::optional<std::string> problem) {
    std::lock_guard lock(queue_mutex);
    if (health_listener)
        boost::asio::post(control, [listener = health_listener, problem] { listener(problem); });
}

// One transaction, one fsync: what is held from failed tries first, then everything queued
// while the previous commit ran.
bool Journal::Impl::write_batch(const std::vector<Pending>& batch, std::string& error) {
    std::lock_guard lock(db_mutex);
    try {
        statements->begin();
        for (const auto& entry : held)
            statements->insert(entry);
        for (const auto& pending : batch)
            statements->insert(pending.entry);
        statements->commit();
        return true;
    } catch (const std::exception& e) {
        statements->rollback();
        error = e.what();
        if (!failing)
            spdlog::error("journal: could not write {} entries to {}: {}",
                          held.size() + batch.size(), file.string(), error);
        return false;
    }
}

Journal::Journal(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    impl_->statements = std::make_unique<store::Writer>(*impl_->db);
    impl_->writer = std::thread([impl = impl_.get()] {
        // Named, so `top -H` and the benches tell the journal's CPU from the room's.
        pthread_setname_np(pthread_self(), "haven-journal");
        impl->run();
    });
}

Journal::~Journal() {
    {
        std::lock_guard lock(impl_->queue_mutex);
        impl_->stopping = true;
    }
    impl_->queue_changed.notify_all();
    impl_->writer.join();
}

std::unique_ptr<Journal> Journal::open(const fs::path& state_dir,
                                       boost::asio::any_io_executor control) {
    auto impl = std::make_unique<Impl>();
    impl->file = state_dir / "journal.sqlite3";
    impl->control = std::move(control);
    try {
        fs::create_directories(state_dir);
        std::string problem;
        if (fs::exists(impl->file) && !journal_is_healthy(impl->file, problem)) {
            fs::path aside = move_aside(impl->file);
            spdlog::error("journal: {} is damaged ({}); kept it as {} and started a fresh journal",
                          impl->file.string(), problem, aside.string());
            impl->notes.push_back("journal was damaged (" + problem + "); kept as " +
                                  aside.filename().string());
            impl->db = open_durable(impl->file);
            int saved = salvage_rows(aside, *impl->db, impl->notes);
            impl->notes.push_back(std::to_string(saved) +
                                  " entries recovered from the damaged file");
            for (std::size_t i = 1; i < impl->notes.size(); ++i) {
                spdlog::warn("journal: {}", impl->notes[i]);
            }
        } else {
            impl->db = open_durable(impl->file);
        }
        sync_directory(state_dir);
    } catch (const std::exception& e) {
        throw std::runtime_error("cannot open the journal in " + state_dir.string() + ": " +
                                 e.what());
    }
    return std::unique_ptr<Journal>(new Journal(std::move(impl)));
}

void Journal::append(Entry entry, std::function<void(bool ok)> on_durable) {
    std::vector<Entry> one;
    one.push_back(std::move(entry));
    append(std::move(one), std::move(on_durable));
}

void Journal::append(std::vector<Entry> entries, std::function<void(bool ok)> on_durable) {
    if (entries.empty()) {
        if (on_durable)
            boost::asio::post(impl_->control, [cb = std::move(on_durable)] { cb(true); });
        return;
    }
    const auto boot_now = boot_stamp_now();
    for (auto& entry : entries)
        if (!entry.boot) entry.boot = boot_now;
    {
        std::lock_guard lock(impl_->queue_mutex);
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const bool last = i + 1 == entries.size();
            impl_->queue.push_back(
                Pending{std::move(entries[i]), last ? std::move(on_durable) : nullptr});
        }
        impl_->appended += entries.size();
    }
    impl_->queue_changed.notify_one();
}

void Journal::on_health(HealthListener listener) {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->health_listener = std::move(listener);
}

void Journal::flush() {
    std::unique_lock lock(impl_->queue_mutex);
    std::uint64_t target = impl_->appended;
    impl_->batch_done.wait(lock, [&] { return impl_->finished >= target; });
}

std::vector<std::string> Journal::recovery_notes() const {
    return impl_->notes;
}

fs::path Journal::file() const {
    return impl_->file;
}

}  // namespace haven::journal
