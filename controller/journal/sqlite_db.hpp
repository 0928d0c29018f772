#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared statements, and
// errors thrown as SqliteError carrying SQLite's own message and result code.
// Not thread-safe by itself: each owner serialises its use of a connection.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace haven::journal {

class SqliteError : public std::runtime_error {
  public:
    SqliteError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
    int code() const { return code_; }

  private:
    int code_;
};

class Statement;

class SqliteDb {
  public:
    // inspect_only: read-write on an existing file, but never checkpoints its WAL into it on
    // close, so looking at a possibly damaged file does not change it.
    enum class Mode { read_write_create, read_only, inspect_only };
    SqliteDb(const std::filesystem::path& file, Mode mode);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    sqlite3* handle() { return db_; }

  private:
    sqlite3* db_ = nullptr;
};

class Statement {
  public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement& operator=(Statement&&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view value);
    Statement& bind_null(int index);
    // Advances one row: true while there is a row to read, false when done; throws on error.
    bool step();
    void reset();

    std::int64_t column_int(int index);
    std::string column_text(int index);
    bool column_is_null(int index);

  private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace haven::journal
