#pragma once
// A deck of 16:9 pages in a PDF file, drawn with cairo: headings, wrapped text, tables that
// continue on the next page, and chart images. Written under a temporary name and renamed
// when complete, so a failed report never leaves a half-written file behind.

#include <string>
#include <vector>

#include "viz/window.hpp"

typedef struct _cairo cairo_t;
typedef struct _cairo_surface cairo_surface_t;

namespace viz {

class PdfDeck {
  public:
    // Page size in points (13.33 × 7.5 inches, a widescreen slide) and the margin.
    static constexpr double page_width = 960, page_height = 540, margin = 36;
    static constexpr double body_width = page_width - 2 * margin;

    enum class Align { left, right, centre };
    struct Style {
        double size = 11;
        bool bold = false;
        unsigned colour = 0x1e1e24;  // 0xRRGGBB
        Align align = Align::left;
    };

    // footer: the line at the bottom of every page (the page number is added to it).
    PdfDeck(const std::string& path, std::string footer);
    ~PdfDeck();
    PdfDeck(const PdfDeck&) = delete;
    PdfDeck& operator=(const PdfDeck&) = delete;

    // A new page with its heading; the cursor goes below it.
    void page(const std::string& heading);
    double cursor() const { return y_; }
    void skip(double points) { y_ += points; }
    double room() const { return page_height - margin - 14 - y_; }  // above the footer

    // One line at (x, y), y its baseline; returns its width.
    double text(const std::string& s, double x, double y, const Style& style);
    double text_width(const std::string& s, const Style& style);
    // Text wrapped to `width` from the cursor at x; moves the cursor below it.
    void paragraph(const std::string& s, const Style& style, double x = margin,
                   double width = body_width);
    void rectangle(double x, double y, double w, double h, unsigned colour);
    void line(double x0, double y0, double x1, double y1, unsigned colour, double width = 0.75);
    // The image scaled to fit (w, h) at (x, y), keeping its aspect; returns its drawn height.
    double image(const Image& image, double x, double y, double w, double h);

    struct Column {
        std::string header;
        double width;  // points
        Align align = Align::left;
    };
    // A table from the cursor: header, then rows; where the page is full it continues on a new
    // page headed `heading (continued)`, with the header repeated. A row of one cell is a
    // group label spanning the table (kept with the row after it).
    void table(const std::vector<Column>& columns,
               const std::vector<std::vector<std::string>>& rows, const std::string& heading,
               double size = 10.5);

    int pages() const { return pages_; }
    // Ends the document, checks that every byte reached the disk, renames it into place.
    // Throws std::runtime_error naming the file otherwise.
    void finish();

  private:
    void end_page();
    void font(const Style& style);

    std::string path_, target_, temporary_, footer_;  // target_: the file to replace (a link's)
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
    int pages_ = 0;
    bool open_page_ = false;
    double y_ = margin;
};

}  // namespace viz
