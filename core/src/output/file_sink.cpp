#include "arrears/file_sink.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "arrears/error.hpp"
#include "arrears/sha256.hpp"

namespace arrears {

namespace {

namespace fs = std::filesystem;

constexpr mode_t kFileMode = 0600;
constexpr mode_t kFolderMode = 0700;

[[noreturn]] void fail(const std::string& what, const std::string& path, int err) {
    throw StorageError(0, what + " " + quote(path) + ": " + std::strerror(err));
}

int open_new(const std::string& path) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) fail("cannot create", path, errno);
    return fd;
}

bool write_all(int fd, std::string_view bytes) {
    while (!bytes.empty()) {
        const ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

bool create_private_file(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd < 0) {
        if (errno == EEXIST) return false;
        fail("cannot create", path, errno);
    }
    ::close(fd);
    return true;
}

FolderSink::FolderSink(std::string folder) : folder_(std::move(folder)) {
    struct stat st{};
    if (::stat(folder_.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
        throw StorageError(0, "output folder " + quote(folder_) + " does not exist");
}

FolderSink::~FolderSink() = default;

std::string FolderSink::full_path(std::string_view path) {
    const fs::path rel(path);
    if (path.empty() || rel.is_absolute())
        throw ValidationError("path: " + quote(std::string(path)) + " must be relative to the output folder");
    for (const auto& part : rel)
        if (part == "..") throw ValidationError("path: " + quote(std::string(path)) + " leaves the output folder");
    fs::path dir = fs::path(folder_);
    const fs::path parent = rel.parent_path();
    for (const auto& part : parent) {
        dir /= part;
        std::lock_guard lock(mutex_);
        if (::mkdir(dir.c_str(), kFolderMode) == 0)
            created_.push_back(dir.string());
        else if (errno != EEXIST)
            fail("cannot create the folder", dir.string(), errno);
    }
    return (fs::path(folder_) / rel).string();
}

WrittenFile FolderSink::write(std::string_view path, std::string_view kind,
                              std::initializer_list<std::string_view> parts) {
    Stream s = open(path, kind);
    for (auto part : parts) s.append(part);
    return s.close();
}

struct FolderSink::Stream::State {
    int fd = -1;
    std::string full_path;
    WrittenFile record;
    Sha256 sha;
};

FolderSink::Stream::Stream(int fd, std::string full_path, WrittenFile record) : state_(std::make_unique<State>()) {
    state_->fd = fd;
    state_->full_path = std::move(full_path);
    state_->record = std::move(record);
}

FolderSink::Stream::Stream(Stream&& other) noexcept = default;

FolderSink::Stream::~Stream() {
    if (state_ && state_->fd >= 0) {
        ::close(state_->fd);
        ::unlink(state_->full_path.c_str());
    }
}

void FolderSink::Stream::append(std::string_view bytes) {
    if (!state_ || state_->fd < 0) throw Error("output: append after close");
    if (!write_all(state_->fd, bytes)) fail("writing", state_->full_path, errno);
    state_->sha.update(bytes);
    state_->record.bytes += bytes.size();
}

WrittenFile FolderSink::Stream::close() {
    if (!state_ || state_->fd < 0) throw Error("output: close twice");
    const int fd = state_->fd;
    state_->fd = -1;
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(state_->full_path.c_str());
        fail("writing", state_->full_path, err);
    }
    state_->record.sha256 = state_->sha.hex();
    return std::move(state_->record);
}

FolderSink::Stream FolderSink::open(std::string_view path, std::string_view kind) {
    std::string full = full_path(path);
    const int fd = open_new(full);
    {
        std::lock_guard lock(mutex_);
        created_.push_back(full);
    }
    WrittenFile record;
    record.path = fs::path(path).generic_string();
    record.kind = std::string(kind);
    return Stream(fd, std::move(full), std::move(record));
}

void FolderSink::discard() noexcept {
    std::lock_guard lock(mutex_);
    // Newest first: files before the folders that hold them (a folder is removed only when empty).
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
        std::error_code ec;
        fs::remove(*it, ec);
    }
    created_.clear();
}

}  // namespace arrears
