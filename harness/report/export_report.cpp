// The report Document rendered as Markdown and as one self-contained HTML page.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <string_view>

#include "exporters.hpp"

namespace concbench {

namespace {

/// Where a text goes: in a table cell or a heading, at the start of a block (a paragraph or
/// a bullet, where "# x" or "1. x" would start a heading or a list), or a cell that is
/// Markdown already (hyperfine's tables: only what would break out of the cell).
enum class Place { cell, block, markdown };

/// Text shown as written: punctuation Markdown (or HTML inside it) would act on gets a
/// backslash, and a line break becomes a space (it would end a table row or a bullet).
std::string md_text(const std::string& s, Place place = Place::cell) {
    const std::string_view active = place == Place::markdown ? "|<>&" : "\\`*_[]<>|&~";
    std::string out;
    std::size_t from = 0;
    if (place == Place::block && (from = s.find_first_not_of(' ')) != std::string::npos) {
        const auto digits = s.find_first_not_of("0123456789", from);
        if (std::string_view("#-+=").find(s[from]) != std::string_view::npos ||
            (digits != from && digits != std::string::npos && (s[digits] == '.' || s[digits] == ')')))
            out += '\\';
    }
    for (std::size_t i = from == std::string::npos ? s.size() : from; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\n' || c == '\r') {
            out += ' ';
            continue;
        }
        if (active.find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

std::string md_row(const std::vector<std::string>& cells, bool markdown_source) {
    std::string out = "|";
    for (const auto& c : cells) {
        out += ' ';
        out += md_text(c, markdown_source ? Place::markdown : Place::cell);
        out += " |";
    }
    return out + "\n";
}

/// A fence longer than any run of backticks in the text, so the text cannot close it.
std::string fence_for(const std::string& text) {
    std::size_t longest = 0, run = 0;
    for (char c : text) {
        run = c == '`' ? run + 1 : 0;
        longest = std::max(longest, run);
    }
    return std::string(std::max<std::size_t>(3, longest + 1), '`');
}

/// A relative link target with anything but safe characters percent-encoded.
std::string md_path(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (std::isalnum(c) || std::string_view("._-/").find(static_cast<char>(c)) != std::string_view::npos)
            out += static_cast<char>(c);
        else
            out += fmt::format("%{:02X}", c);
    }
    return out;
}

}  // namespace

std::string to_markdown(const Document& doc) {
    std::string out;
    for (const auto& b : doc) {
        switch (b.kind) {
            case Block::Kind::heading:
                out += std::string(static_cast<std::size_t>(b.level), '#') + " " + md_text(b.text) +
                       "\n\n";
                break;
            case Block::Kind::paragraph:
                out += md_text(b.text, Place::block) + "\n\n";
                break;
            case Block::Kind::bullets:
                for (const auto& i : b.items) out += "- " + md_text(i, Place::block) + "\n";
                out += "\n";
                break;
            case Block::Kind::table: {
                out += md_row(b.items, b.markdown) + "|";
                for (std::size_t i = 0; i < b.items.size(); ++i) out += i == 0 ? ":---|" : "---:|";
                out += "\n";
                for (const auto& r : b.rows) out += md_row(r, b.markdown);
                out += "\n";
                break;
            }
            case Block::Kind::image:
                out += fmt::format("![{}]({})\n\n", md_text(b.text), md_path(b.path));
                break;
            case Block::Kind::code: {
                const std::string fence = fence_for(b.text);
                out += fence + "\n" + b.text + "\n" + fence + "\n\n";
                break;
            }
        }
    }
    return out;
}

namespace {

std::string escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string base64(const std::string& bytes) {
    static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += table[(v >> s) & 63];
    }
    if (i < bytes.size()) {
        unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
        if (i + 1 < bytes.size()) v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += i + 1 < bytes.size() ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string data_uri(const std::string& dir, const std::string& path) {
    std::ifstream in(dir + "/" + path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string mime = path.ends_with(".svg") ? "image/svg+xml" : "image/png";
    return "data:" + mime + ";base64," + base64(ss.str());
}

constexpr const char* kStyle =
    R"(body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px}
td{text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}
img{max-width:100%;display:block;margin:1em 0}pre{background:#f6f6f6;padding:1em;overflow-x:auto}
h1,h2,h3{margin-top:1.6em})";

}  // namespace

std::string to_html(const Document& doc, const std::string& dir) {
    std::string title = "concbench report";
    for (const auto& b : doc)
        if (b.kind == Block::Kind::heading) {
            title = b.text;
            break;
        }
    std::string out = fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>"
        "<style>{}</style></head><body>\n",
        escape(title), kStyle);
    for (const auto& b : doc) {
        switch (b.kind) {
            case Block::Kind::heading:
                out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, escape(b.text));
                break;
            case Block::Kind::paragraph:
                out += "<p>" + escape(b.text) + "</p>\n";
                break;
            case Block::Kind::bullets:
                out += "<ul>";
                for (const auto& i : b.items) out += "<li>" + escape(i) + "</li>";
                out += "</ul>\n";
                break;
            case Block::Kind::table:
                out += "<table><tr>";
                for (const auto& h : b.items) out += "<th>" + escape(h) + "</th>";
                out += "</tr>";
                for (const auto& r : b.rows) {
                    out += "<tr>";
                    for (const auto& c : r) out += "<td>" + escape(c) + "</td>";
                    out += "</tr>";
                }
                out += "</table>\n";
                break;
            case Block::Kind::image:
                out += fmt::format("<img alt=\"{}\" src=\"{}\">\n", escape(b.text),
                                   data_uri(dir, b.path));
                break;
            case Block::Kind::code:
                out += "<pre>" + escape(b.text) + "</pre>\n";
                break;
        }
    }
    // Marks the page once loaded with how many images rendered, for `make check-report`.
    out +=
        "<script>addEventListener('load',()=>{const i=[...document.images];"
        "document.documentElement.dataset.images=i.filter(x=>x.complete&&x.naturalWidth>0)"
        ".length+'/'+i.length;});</script>\n";
    return out + "</body></html>\n";
}

}  // namespace concbench
