#include "viz/pdf_deck.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "models/files/replace_file.hpp"

namespace viz {
namespace {

void set_colour(cairo_t* cr, unsigned rgb) {
    cairo_set_source_rgb(cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0);
}

constexpr unsigned muted = 0x6e6e78, rule = 0xc8cad2, stripe = 0xf3f4f7;

// The file a deck written to `path` replaces (a link's file); a device or a folder is refused.
std::string target_for(const std::string& path) {
    const files::ReplaceTarget target = files::replace_target(path);
    if (!target.refusal.empty())
        throw std::runtime_error("cannot write " + path + ": the path " + target.refusal);
    return target.path;
}

}  // namespace

PdfDeck::PdfDeck(const std::string& path, std::string footer)
    : path_(path),
      target_(target_for(path)),
      temporary_(target_ + ".partial"),
      footer_(std::move(footer)) {
    const std::filesystem::path folder = std::filesystem::absolute(target_).parent_path();
    if (!std::filesystem::is_directory(folder))
        throw std::runtime_error("cannot write " + path + ": no folder " + folder.string());
    surface_ = cairo_pdf_surface_create(temporary_.c_str(), page_width, page_height);
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
        const std::string why = cairo_status_to_string(cairo_surface_status(surface_));
        cairo_surface_destroy(surface_);
        std::error_code ignored;
        std::filesystem::remove(temporary_, ignored);
        throw std::runtime_error("cannot write " + path + ": " + why);
    }
    cairo_pdf_surface_set_metadata(surface_, CAIRO_PDF_METADATA_CREATOR, "trialtwin report");
    cr_ = cairo_create(surface_);
}

PdfDeck::~PdfDeck() {
    if (cr_) cairo_destroy(cr_);
    if (surface_) {
        cairo_surface_destroy(surface_);
        std::error_code ignored;  // not finished: an exception is on its way; leave nothing
        std::filesystem::remove(temporary_, ignored);
    }
}

void PdfDeck::font(const Style& style) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, style.size);
    set_colour(cr_, style.colour);
}

double PdfDeck::text_width(const std::string& s, const Style& style) {
    font(style);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, s.c_str(), &e);
    return e.x_advance;
}

double PdfDeck::text(const std::string& s, double x, double y, const Style& style) {
    const double w = text_width(s, style);
    if (style.align == Align::right) x -= w;
    if (style.align == Align::centre) x -= w / 2;
    cairo_move_to(cr_, x, y);
    cairo_show_text(cr_, s.c_str());
    return w;
}

void PdfDeck::paragraph(const std::string& s, const Style& style, double x, double width) {
    const double leading = style.size * 1.35;
    std::istringstream words(s);
    std::string word, line;
    auto flush = [&] {
        if (line.empty()) return;
        if (room() < leading) page("");
        text(line, x, y_ + style.size, style);
        y_ += leading;
        line.clear();
    };
    while (words >> word) {
        const std::string longer = line.empty() ? word : line + " " + word;
        if (!line.empty() && text_width(longer, style) > width) {
            flush();
            line = word;
        } else {
            line = longer;
        }
    }
    flush();
}

void PdfDeck::rectangle(double x, double y, double w, double h, unsigned colour) {
    set_colour(cr_, colour);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
}

void PdfDeck::line(double x0, double y0, double x1, double y1, unsigned colour, double width) {
    set_colour(cr_, colour);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    cairo_stroke(cr_);
}

double PdfDeck::image(const Image& image, double x, double y, double w, double h) {
    if (image.width <= 0 || image.height <= 0) return 0;
    cairo_surface_t* pixels =
        cairo_image_surface_create(CAIRO_FORMAT_RGB24, image.width, image.height);
    cairo_surface_flush(pixels);
    unsigned char* data = cairo_image_surface_get_data(pixels);
    const int stride = cairo_image_surface_get_stride(pixels);
    for (int row = 0; row < image.height; ++row) {
        auto* out = reinterpret_cast<std::uint32_t*>(data + std::size_t(row) * stride);
        const unsigned char* in = image.rgba.data() + std::size_t(row) * image.width * 4;
        for (int col = 0; col < image.width; ++col, in += 4)
            out[col] = (std::uint32_t(in[0]) << 16) | (std::uint32_t(in[1]) << 8) | in[2];
    }
    cairo_surface_mark_dirty(pixels);
    const double scale = std::min(w / image.width, h / image.height);
    const double drawn_w = image.width * scale, drawn_h = image.height * scale;
    cairo_save(cr_);
    cairo_translate(cr_, x + (w - drawn_w) / 2, y);
    cairo_scale(cr_, scale, scale);
    cairo_set_source_surface(cr_, pixels, 0, 0);
    cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_GOOD);
    cairo_paint(cr_);
    cairo_restore(cr_);
    cairo_surface_destroy(pixels);
    return drawn_h;
}

void PdfDeck::end_page() {
    if (!open_page_) return;
    const Style foot{8, false, muted, Align::left};
    line(margin, page_height - margin + 2, page_width - margin, page_height - margin + 2, rule);
    text(footer_, margin, page_height - margin + 14, foot);
    text(std::to_string(pages_), page_width - margin, page_height - margin + 14,
         {8, false, muted, Align::right});
    cairo_show_page(cr_);
    open_page_ = false;
}

void PdfDeck::page(const std::string& heading) {
    end_page();
    ++pages_;
    open_page_ = true;
    y_ = margin;
    if (heading.empty()) return;
    text(heading, margin, y_ + 20, {20, true});
    y_ += 34;
}

void PdfDeck::table(const std::vector<Column>& columns,
                    const std::vector<std::vector<std::string>>& rows, const std::string& heading,
                    double size) {
    const double row_height = size * 1.7;
    const Style head{size, true, 0x1e1e24};
    double width = 0;
    for (const Column& c : columns)
        width += c.width;
    auto header = [&] {
        double x = margin;
        for (const Column& c : columns) {
            Style s = head;
            s.align = c.align;
            text(c.header, c.align == Align::right ? x + c.width - 6 : x + 4,
                 y_ + row_height * 0.68, s);
            x += c.width;
        }
        y_ += row_height;
        line(margin, y_, margin + width, y_, 0x1e1e24, 0.9);
    };
    auto group_label = [&](const std::string& label) {
        text(label, margin + 4, y_ + row_height * 0.72, {size, true, muted});
        y_ += row_height;
    };
    header();
    std::string group_now;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const bool group = rows[r].size() == 1;
        const double needed = group ? 2 * row_height : row_height;  // a label keeps its row
        if (room() < needed) {
            page(heading + " (continued)");
            header();
            if (!group && !group_now.empty()) group_label(group_now + " (continued)");
        }
        if (group) {
            group_now = rows[r][0];
            group_label(group_now);
            continue;
        }
        if (r % 2 == 1) rectangle(margin, y_, width, row_height, stripe);
        double x = margin;
        for (std::size_t c = 0; c < columns.size() && c < rows[r].size(); ++c) {
            Style s{size, false, 0x1e1e24, columns[c].align};
            text(rows[r][c], columns[c].align == Align::right ? x + columns[c].width - 6 : x + 4,
                 y_ + row_height * 0.68, s);
            x += columns[c].width;
        }
        y_ += row_height;
    }
    line(margin, y_, margin + width, y_, rule);
    y_ += size;
}

void PdfDeck::finish() {
    end_page();
    cairo_destroy(cr_);
    cr_ = nullptr;
    cairo_surface_finish(surface_);
    const cairo_status_t status = cairo_surface_status(surface_);
    cairo_surface_destroy(surface_);
    surface_ = nullptr;
    std::error_code error;
    if (status != CAIRO_STATUS_SUCCESS) {
        std::filesystem::remove(temporary_, error);
        throw std::runtime_error("cannot write " + path_ + ": " + cairo_status_to_string(status));
    }
    const std::string not_renamed = files::put_in_place(temporary_, target_);
    if (!not_renamed.empty()) {
        std::filesystem::remove(temporary_, error);
        throw std::runtime_error("cannot write " + path_ + ": " + not_renamed);
    }
}

}  // namespace viz
