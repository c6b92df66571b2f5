#include "hyperfine.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace concbench {

namespace fs = std::filesystem;

Block parse_markdown_table(const std::string& text) {
    Block t{Block::Kind::table};
    t.markdown = true;  // its cells are Markdown already (`command` code spans)
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("|", 0) != 0 || line.find(":---") != std::string::npos) continue;
        std::vector<std::string> cols;
        std::stringstream ss(line.substr(1));
        for (std::string col; std::getline(ss, col, '|');) {
            const auto b = col.find_first_not_of(' '), e = col.find_last_not_of(' ');
            cols.push_back(b == std::string::npos ? "" : col.substr(b, e - b + 1));
        }
        if (t.items.empty())
            t.items = cols;
        else
            t.rows.push_back(cols);
    }
    return t;
}

std::vector<std::pair<std::string, std::string>> hyperfine_tables(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> hyperfine;
    std::error_code ec;
    if (!fs::is_directory(dir + "/hyperfine", ec)) return hyperfine;
    std::vector<fs::path> mds;
    for (const auto& e : fs::directory_iterator(dir + "/hyperfine", ec))
        if (e.path().extension() == ".md") mds.push_back(e.path());
    std::sort(mds.begin(), mds.end());
    for (const auto& p : mds) {
        std::ifstream in(p);
        std::stringstream text;
        text << in.rdbuf();
        hyperfine.emplace_back(p.stem().string(), text.str());
    }
    return hyperfine;
}

}  // namespace concbench
