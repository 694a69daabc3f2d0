#pragma once
// A GLFW window with an OpenGL 3 context and Dear ImGui on it. Visible for the interactive app;
// hidden, drawing into an offscreen framebuffer of any size, for PNG export. Both need an X
// server (under CI and on servers: xvfb-run).

#include <stdexcept>
#include <string>
#include <vector>

struct GLFWwindow;

namespace viz {

class NoDisplay : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct Image {
    int width = 0, height = 0;
    std::vector<unsigned char> rgba;  // top row first
};

class Window {
  public:
    struct Options {
        int width = 1600, height = 900;
        bool offscreen = false;  // hidden window; frames drawn at exactly width × height
        float font_size = 18;
        std::string title = "trialtwin";
    };
    // Throws NoDisplay when no window can be opened (no X server, no OpenGL 3).
    explicit Window(const Options& options);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    bool should_close() const;
    void close();
    void begin_frame();         // events, then a new ImGui frame
    void end_frame();           // draws the ImGui frame into the framebuffer (not yet shown)
    Image read_pixels() const;  // what end_frame drew
    void present();             // shows it (visible windows)
    void finish();              // waits until the GPU (llvmpipe: the CPU) has drawn it

  private:
    Options options_;
    GLFWwindow* window_ = nullptr;
    unsigned framebuffer_ = 0, colour_ = 0;
    int width_ = 0, height_ = 0;
};

// Writes an image as PNG, first under a temporary name, renamed when complete.
void write_png(const Image& image, const std::string& path);

}  // namespace viz
