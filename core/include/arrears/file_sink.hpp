// Where the C++ core writes files. Every file the core creates goes through a FileSink, so the
// rules for files are in one place: created private (files 0600, folders 0700, narrowed further
// by a stricter umask, never widened), written whole or removed, and each one's byte count and
// SHA-256 recorded. Rules that produce files (render_campaign) take a FileSink and do no I/O of
// their own. The output protocol around them (a staging folder, the intent recorded in the
// store, publishing by rename after the commit, reconciling after a crash) is arrears.outputs
// in Python, which points a FolderSink at its staging folder (docs/development.md, "Writing
// files").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace arrears {

struct WrittenFile {
    std::string path;            // relative to the sink's folder, '/' separators
    std::string kind;            // "html", "text", "csv", "index" ...
    std::uint64_t bytes = 0;
    std::string sha256;          // hex
};

class FileSink {
public:
    virtual ~FileSink() = default;
    // Writes `parts` one after the other as the new file `path` (relative; parent folders are
    // created). Safe to call from several threads at once for different paths.
    virtual WrittenFile write(std::string_view path, std::string_view kind,
                              std::initializer_list<std::string_view> parts) = 0;
    // Removes every file (and folder) this sink created: a failed rule leaves nothing behind.
    virtual void discard() noexcept = 0;
};

// A FileSink into an existing folder. A path may not be absolute or climb out of the folder
// ("..": ValidationError). Errors name the file and the system's reason (StorageError).
class FolderSink final : public FileSink {
public:
    explicit FolderSink(std::string folder);
    ~FolderSink() override;
    FolderSink(const FolderSink&) = delete;
    FolderSink& operator=(const FolderSink&) = delete;

    WrittenFile write(std::string_view path, std::string_view kind,
                      std::initializer_list<std::string_view> parts) override;
    void discard() noexcept override;

    // A file written piece by piece (large exports): append(), then close() once; a stream
    // that is not closed removes its file.
    class Stream {
    public:
        Stream(Stream&& other) noexcept;
        Stream& operator=(Stream&&) = delete;
        Stream(const Stream&) = delete;
        ~Stream();
        void append(std::string_view bytes);
        WrittenFile close();

    private:
        friend class FolderSink;
        Stream(int fd, std::string full_path, WrittenFile record);
        struct State;
        std::unique_ptr<State> state_;
    };
    Stream open(std::string_view path, std::string_view kind);

    const std::string& folder() const noexcept { return folder_; }

private:
    std::string full_path(std::string_view path);  // checks it; creates parent folders
    std::string folder_;
    std::mutex mutex_;
    std::vector<std::string> created_;  // files and folders, in creation order
};

// Creates an empty private file (0600 narrowed by the umask) unless one exists: the store's
// database file before SQLite opens it (SQLite gives its -wal and -shm files the database
// file's mode). True when it was created; StorageError when it cannot be.
bool create_private_file(const std::string& path);

}  // namespace arrears
