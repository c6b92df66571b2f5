// results.jsonl: one JSON object per line, each line written whole with a single write(),
// so a kill at any moment leaves only complete lines behind.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace concbench {

class ResultsFile {
  public:
    /// Opens (creating) `path` for appending. Throws UsageError when it is a symlink or not a
    /// regular file, std::system_error when it cannot be opened (the message says how to
    /// continue when the folder is full or read-only).
    explicit ResultsFile(const std::string& path);
    ~ResultsFile();
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;

    /// Appends one line. Throws std::system_error if it cannot be written whole.
    void append(const nlohmann::json& record);
    /// Makes what was appended durable (fsync); called after each cell.
    void sync();

  private:
    int fd_ = -1;
    std::string path_;
};

/// Writes `text` to `path` atomically: a temporary file in the same folder, then rename.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace concbench
